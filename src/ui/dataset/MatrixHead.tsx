/** The class × attribute matrix's header row: one column per attribute folder, "(none)" for images without one. */
export function MatrixHead({ attributeFolders }: { attributeFolders: readonly string[] }) {
  return (
    <thead>
      <tr>
        <th scope="col">class \ attribute</th>
        {attributeFolders.map((a) => (
          <th scope="col" key={a}>
            {a === '' ? '(none)' : a}
          </th>
        ))}
      </tr>
    </thead>
  );
}
