import { useMemo } from 'react';
import { restoreRealAttributes } from '../../state/discoveryHandoff';
import { groupAgreement } from '../../state/discoveryView';
import { useDiscovery } from '../../state/discovery';
import { useResults, type InferredAttributes } from '../../state/results';
import { pct } from '../format';
import { InfoTip } from '../InfoTip';

/** "‘water’ vs ‘not water’", "the closest of ‘land’, ‘water’" */
export function inferredDescription(inferred: InferredAttributes): string {
  const quoted = (words: readonly string[]) => words.map((w) => `‘${w}’`).join(', ');
  return inferred.how === 'argmax'
    ? `whichever of ${quoted(inferred.words)} CLIP puts closest to each image`
    : `whether CLIP tags ${inferred.words.length === 1 ? quoted(inferred.words) : `any of ${quoted(inferred.words)}`} in an image (${quoted(inferred.values)})`;
}

/**
 * The results header's mark while the views group by an inferred attribute: what the groups are, that they are
 * CLIP's guess, and the way back to the real labels. On results without an inferred attribute: the way to
 * discovery.
 */
export function InferredAttributeNote() {
  const inferred = useResults((s) => s.inferred);
  if (!inferred) {
    return (
      <p className="discover-entry">
        Don’t know which attribute trips the model?{' '}
        <a
          href="#discover"
          data-testid="open-discover"
          onClick={() => {
            useDiscovery.getState().setOpen(true);
          }}
        >
          Discover candidate attributes from a word list
        </a>
      </p>
    );
  }
  return (
    <div className="inferred-note" data-testid="inferred-attribute-note" role="status">
      <p>
        <span className="badge inferred" data-testid="inferred-badge">
          inferred attribute
        </span>{' '}
        Groups follow {inferredDescription(inferred)}, not labels anyone checked. Exports and reports made now carry
        these groups as the attribute.
        <InfoTip term="inferredAttribute" />
      </p>
      <div className="button-row">
        <button type="button" className="secondary small" data-testid="real-labels" onClick={restoreRealAttributes}>
          Back to the real labels
        </button>
        <a href="#discover" className="small" onClick={() => useDiscovery.getState().setOpen(true)}>
          Discovery lists
        </a>
      </div>
    </div>
  );
}

/** Inferred vs real groups, per class, when the images also carry real attribute labels. */
export function AgreementTable({ inferred }: { inferred: InferredAttributes }) {
  const records = useResults((s) => s.records);
  const classes = useResults((s) => s.classes);
  const agreement = useMemo(
    () => groupAgreement(inferred.real.records, records, classes),
    [inferred, records, classes],
  );
  if (!inferred.real.records.some((r) => r.attribute !== '')) {
    return (
      <p className="muted">
        These images have no real attribute labels, so the inferred groups cannot be checked against them here.
      </p>
    );
  }
  return (
    <div className="agreement" data-testid="agreement">
      <h4>Inferred groups against the real labels</h4>
      <p className="muted">
        Images per real attribute (rows) and inferred attribute (columns), class by class. Most images on one diagonal:
        CLIP’s tags recover the real attribute; spread out: the inferred groups are something else.
      </p>
      <div className="agreement-grid">
        {agreement.map((a) => (
          <div className="table-scroll" key={a.class}>
            <table data-testid="agreement-table">
              <caption>
                {a.class}: {a.n} images
                {a.bestMatch !== null ? `, ${pct(a.bestMatch)} agree under the best pairing` : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">real ↓ / inferred →</th>
                  {a.inferred.map((value) => (
                    <th scope="col" key={value}>
                      {value}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {a.real.map((value, r) => (
                  <tr key={value}>
                    <th scope="row">{value}</th>
                    {a.counts[r].map((count, j) => (
                      <td className="num" key={a.inferred[j]}>
                        {count}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </div>
    </div>
  );
}
