/** Compare's first table: every configuration field of (a) and (b), the fields that differ marked. */
import { AutoencoderRun } from '../../shared/runsTable/columns';
import { configDiff } from '../../shared/runsTable/configFields';
import { el } from '../dom';

export function configDiffSection(a: AutoencoderRun, b: AutoencoderRun): HTMLElement {
  const rows = configDiff(a.run.job.config, b.run.job.config);
  const differing = rows.filter((r) => r.differs).length;
  const summary = differing ? `${differing} of ${rows.length} fields differ (marked ≠; the equal ones are dimmed)` : `all ${rows.length} fields are equal`;
  return el('div', { className: 'config-diff-section' }, [
    el('h3', { textContent: `Configuration: ${summary}` }),
    el('table', { className: 'runs config-diff' }, [
      el('thead', {}, [el('tr', {}, ['', 'Field', `(a) ${a.run.name}`, `(b) ${b.run.name}`].map((h) => el('th', { textContent: h })))]),
      el('tbody', {}, rows.map((r) => {
        const tr = el('tr', { className: r.differs ? 'differs' : 'same' }, [
          el('td', { textContent: r.differs ? '≠' : '', title: r.differs ? 'differs' : '' }),
          el('td', { textContent: r.label, title: r.key }),
          el('td', { textContent: r.a }),
          el('td', { textContent: r.b }),
        ]);
        tr.dataset.field = r.key;
        return tr;
      })),
    ]),
  ]);
}
