// A small JSON Schema (draft-07) checker for the keywords devContainerFeature.schema.json uses:
// $ref (local #/definitions), type (incl. lists), properties, additionalProperties (bool/schema),
// required, items (one schema), const, enum, anyOf, oneOf. No validator is among the project's
// dependencies, and this subset is all the fixture needs. Returns the problems found, [] if valid.
type Schema = { [key: string]: unknown } | boolean;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function validate(root: Schema, value: unknown): string[] {
  const resolve = (ref: string): Schema => {
    const match = /^#\/definitions\/(.+)$/.exec(ref);
    const definitions = (root as { definitions?: Record<string, Schema> }).definitions ?? {};
    const found = match?.[1] !== undefined ? definitions[match[1]] : undefined;
    if (found === undefined) throw new Error(`unsupported $ref ${ref}`);
    return found;
  };
  const check = (schema: Schema, v: unknown, at: string): string[] => {
    if (schema === true) return [];
    if (schema === false) return [`${at}: not allowed`];
    const errors: string[] = [];
    if (typeof schema.$ref === 'string') errors.push(...check(resolve(schema.$ref), v, at));
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      const actual = typeOf(v);
      if (!types.some((t) => t === actual || (t === 'number' && actual === 'integer'))) {
        return [...errors, `${at}: expected ${types.join(' or ')}, got ${actual}`];
      }
    }
    if ('const' in schema && v !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.includes(v)) errors.push(`${at}: not one of ${JSON.stringify(schema.enum)}`);
    if (typeOf(v) === 'object') {
      const object = v as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const key of (schema.required as string[] | undefined) ?? []) {
        if (!(key in object)) errors.push(`${at}: missing required property "${key}"`);
      }
      for (const [key, item] of Object.entries(object)) {
        if (key in properties) errors.push(...check(properties[key] as Schema, item, `${at}.${key}`));
        else if (schema.additionalProperties !== undefined) {
          errors.push(...check(schema.additionalProperties as Schema, item, `${at}.${key}`));
        }
      }
    }
    if (typeOf(v) === 'array' && schema.items !== undefined && !Array.isArray(schema.items)) {
      (v as unknown[]).forEach((item, i) => errors.push(...check(schema.items as Schema, item, `${at}[${i}]`)));
    }
    if (Array.isArray(schema.anyOf)) {
      const results = (schema.anyOf as Schema[]).map((s) => check(s, v, at));
      if (!results.some((r) => r.length === 0)) errors.push(`${at}: matches none of anyOf (${results.map((r) => r.join('; ')).join(' | ')})`);
    }
    if (Array.isArray(schema.oneOf)) {
      const passing = (schema.oneOf as Schema[]).filter((s) => check(s, v, at).length === 0).length;
      if (passing !== 1) errors.push(`${at}: matches ${passing} of oneOf, expected exactly 1`);
      if (passing === 0) errors.push(...check((schema.oneOf as Schema[])[0] as Schema, v, at));
    }
    return errors;
  };
  return check(root, value, '$');
}
