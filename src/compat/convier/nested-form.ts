/**
 * Form fields with bracketed names (`event[attendees][0][email]=…`), as PHP and Rails clients
 * send them, into nested objects. Numeric keys stay object keys; the reader of a list takes
 * the values in key order. Depth and field count are bounded: a form nests a few levels.
 */
export const MAX_FORM_DEPTH = 6;
export const MAX_FORM_FIELDS = 500;

export class FormShapeError extends Error {}

type Tree = { [key: string]: Tree | string };

export function parseNestedForm(body: string): Tree {
  const root: Tree = {};
  const params = new URLSearchParams(body);
  let count = 0;
  for (const [name, value] of params) {
    if (++count > MAX_FORM_FIELDS) throw new FormShapeError(`a form may have at most ${MAX_FORM_FIELDS} fields`);
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    if (!m) throw new FormShapeError(`field name "${name}" is not name[key][key]…`);
    const keys = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((k) => k[1]!)];
    if (keys.length > MAX_FORM_DEPTH) throw new FormShapeError(`field name "${name}" nests deeper than ${MAX_FORM_DEPTH} levels`);
    let node = root;
    keys.forEach((key, i) => {
      // An empty key (`a[]`) appends, as in PHP.
      const k = key === '' ? String(Object.keys(node).length) : key;
      if (i === keys.length - 1) {
        if (typeof node[k] === 'object') throw new FormShapeError(`field "${name}" is both a value and a group`);
        node[k] = value;
        return;
      }
      const next = node[k];
      if (typeof next === 'string') throw new FormShapeError(`field "${name}" is both a value and a group`);
      node = (node[k] = next ?? {}) as Tree;
    });
  }
  return root;
}
