/** Every command of the command line, in the order the help lists them. */
import { CliCommand } from '../command';
import { all, q2a, q2b } from './composite';
import { disnet } from './disnet';
import { info } from './info';
import { q1 } from './q1';
import { report } from './report';
import { resume } from './resume';
import { sweep } from './sweep';
import { sweepReport } from './sweepReport';
import { sweepTask } from './sweepTask';
import { train } from './train';

export const COMMANDS: CliCommand[] = [all, q1, q2a, q2b, sweep, sweepTask, sweepReport, train, disnet, resume, report, info];
