import { Command } from './command';

export const openWorkbench: Command = {
  id: 'assignment2.openWorkbench',
  title: 'Open Workbench',
  run(deps) {
    deps.showPanel();
    // The panel names the backend, so start the engine now rather than at the first training.
    if (!deps.state.backend) void deps.backendInfo().catch((err: Error) => deps.output.error(`Backend info: ${err.message}`));
  },
};
