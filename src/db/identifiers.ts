/**
 * SQL identifiers we build statements from. Values always travel as parameters; only names that we
 * validated (the schema) or declared (tables, columns) are spliced into SQL, and always quoted.
 */
import { ConfigError } from '../errors.js';

/** A schema name we accept: lower-case, unquoted-safe, at most 63 bytes (Postgres' NAMEDATALEN - 1). */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Returns `name` when it is a usable schema name (DATABASE_SCHEMA), else throws a ConfigError that
 * says what is allowed. `pg_*` and `information_schema` are Postgres' own.
 */
export function assertSchemaName(name: string): string {
  if (!SCHEMA_NAME_PATTERN.test(name)) {
    throw new ConfigError(
      `invalid schema name ${JSON.stringify(name)}: use 1-63 lower-case letters, digits and _, not starting with a digit (DATABASE_SCHEMA)`,
      { schema: name },
    );
  }
  if (name.startsWith('pg_') || name === 'information_schema') {
    throw new ConfigError(`invalid schema name "${name}": it is reserved by Postgres (DATABASE_SCHEMA)`, {
      schema: name,
    });
  }
  return name;
}

/** Double-quotes an identifier, doubling embedded quotes, so any name is taken literally. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
