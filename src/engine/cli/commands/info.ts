import { initBackend } from '../../backend';
import { CliCommand } from '../command';
import { describeBackend } from '../describe';

export const info: CliCommand = {
  name: 'info',
  summary: "Show the backend (and ONNX Runtime's provider) that would be used, why, and versions.",
  flags: [],
  async run(inv) {
    const backend = await initBackend(inv.backend);
    inv.out(inv.json ? JSON.stringify(backend, null, 2) + '\n' : describeBackend(backend) + '\n');
    return 0;
  },
};
