import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

// ajv-formats is CommonJS: under ESM its function is the default export's `default`.
const addFormats = formats.default;

interface Operation { pattern: RegExp; params: number; method: string; path: string; responses: Record<string, { content?: Record<string, { schema: object }> }> }

/**
 * Checks real answers of the JSON API against the OpenAPI document the server publishes: the
 * status must be one the operation documents, and the body must match its schema (JSON Schema
 * 2020-12, as OpenAPI 3.1 uses). Paths the document does not have must answer the Error envelope.
 */
export function responseChecker(docText: string) {
  // One schema resource for the whole document, so `#/components/...` references resolve.
  const doc = JSON.parse(docText.replaceAll('"#/components/', '"openapi.json#/components/'));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: doc.components });
  const compiled = new Map<object, ValidateFunction>();
  const validator = (schema: object) => {
    let v = compiled.get(schema);
    if (!v) compiled.set(schema, (v = ajv.compile(schema)));
    return v;
  };
  const operations: Operation[] = Object.entries(doc.paths as Record<string, Record<string, Operation['responses']>>)
    .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({
      path, method: method.toUpperCase(), params: (path.match(/\{/g) ?? []).length,
      pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`),
      responses: (op as unknown as { responses: Operation['responses'] }).responses,
    })))
    .sort((a, b) => a.params - b.params);
  const errorSchema = { $ref: 'openapi.json#/components/schemas/Error' };

  return (method: string, url: string, status: number, contentType: string | null, text: string): void => {
    const path = new URL(url, 'http://x').pathname;
    const where = `${method} ${path} → ${status}`;
    const op = operations.find((o) => o.method === method && o.pattern.test(path));
    const fail = (why: string) => { throw new Error(`${where} does not match the OpenAPI document: ${why}\n${text.slice(0, 500)}`); };
    let schema: object | undefined;
    if (!op) {
      if (status !== 404 && status !== 405) fail('no documented operation');
      schema = errorSchema;
    } else {
      const answer = op.responses[String(status)];
      if (!answer) return fail(`${op.method} ${op.path} documents ${Object.keys(op.responses).join(', ')}`);
      schema = answer.content?.['application/json']?.schema;
      if (!schema) {
        if (text !== '') fail('a body where the document gives none');
        return;
      }
    }
    if (!contentType?.startsWith('application/json')) fail(`Content-Type ${contentType}`);
    const validate = validator(schema);
    if (!validate(JSON.parse(text))) fail(ajv.errorsText(validate.errors, { separator: '; ' }));
  };
}
