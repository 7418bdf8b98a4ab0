import { runQ1Study, DEFAULT_Q1_PARAMS } from '../src/shared/q1/study';
const t0 = performance.now();
const s = runQ1Study(DEFAULT_Q1_PARAMS);
console.log('ms', performance.now() - t0);
console.log(s.answer.part1, '\n\n', s.answer.part2);
console.log(Object.fromEntries(Object.entries(s.maxEscape).map(([k, v]) => [k, [v.h, v.note]])));
console.log(JSON.stringify(s).length);
console.log(s.sweepLr.lr.map((l, i) => `${l.toFixed(3)}:${s.sweepLr.maxH.adam[i]?.toFixed(4)}/${s.sweepLr.maxH.gd[i]?.toFixed(4)}`).join(' '));
