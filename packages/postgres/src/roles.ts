/**
 * The two roles a deployment grants, as SQL an administrator runs once (docs/postgres.md):
 * - the writer appends and reads events and maintains read models, and can neither update nor delete
 *   an event (no grant, and the trigger refuses even the owner);
 * - the reporting role reads the read-model documents and the active versions, and nothing else.
 * Both are group roles without login: grant them to the login roles of services and analysts.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type pg from 'pg'
import { quoteSchema } from './connection.ts'
import { DEFAULT_SCHEMA } from './postgresEventStore.ts'
import { DEFAULT_READ_MODEL_SCHEMA } from './postgresReadModelStore.ts'

export interface RoleOptions {
  readonly eventSchema?: string
  readonly readModelSchema?: string
  readonly writerRole?: string
  readonly reportingRole?: string
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * The SQL that creates (if missing) and grants both roles; run it after both stores have migrated
 * their schemas. Left names the first option that is not a plain lower-case identifier.
 */
export const rolesSql = (options: RoleOptions = {}): E.Either<string, string> => {
  const eventSchema = quoteSchema(options.eventSchema ?? DEFAULT_SCHEMA)
  const readModelSchema = quoteSchema(options.readModelSchema ?? DEFAULT_READ_MODEL_SCHEMA)
  const writer = options.writerRole ?? 'policy_credit_writer'
  const reporting = options.reportingRole ?? 'policy_credit_reporting'
  if (eventSchema === undefined) return E.left(`eventSchema is not a usable schema name: ${JSON.stringify(options.eventSchema)}`)
  if (readModelSchema === undefined) return E.left(`readModelSchema is not a usable schema name: ${JSON.stringify(options.readModelSchema)}`)
  if (!ROLE_NAME.test(writer)) return E.left(`writerRole is not a plain lower-case identifier: ${JSON.stringify(writer)}`)
  if (!ROLE_NAME.test(reporting)) return E.left(`reportingRole is not a plain lower-case identifier: ${JSON.stringify(reporting)}`)
  return E.right(`
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${writer}') THEN CREATE ROLE "${writer}" NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${reporting}') THEN CREATE ROLE "${reporting}" NOLOGIN; END IF;
END $$;

-- Writer: append (through append_events) and read events; never update, delete or truncate them.
GRANT USAGE ON SCHEMA ${eventSchema} TO "${writer}";
GRANT SELECT, INSERT ON ${eventSchema}.events TO "${writer}";
GRANT SELECT ON ${eventSchema}.migrations TO "${writer}";
GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${eventSchema} TO "${writer}";
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ${eventSchema} FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${eventSchema} TO "${writer}";

-- Writer: maintain the read models, their checkpoints, skips and active versions.
GRANT USAGE ON SCHEMA ${readModelSchema} TO "${writer}";
GRANT SELECT, INSERT, UPDATE, DELETE ON ${readModelSchema}.documents, ${readModelSchema}.checkpoints,
  ${readModelSchema}.skips, ${readModelSchema}.active_versions TO "${writer}";
GRANT SELECT ON ${readModelSchema}.migrations, ${readModelSchema}.active_documents TO "${writer}";

-- Reporting: the documents and which version is active; not the events, not the checkpoints or skips.
GRANT USAGE ON SCHEMA ${readModelSchema} TO "${reporting}";
GRANT SELECT ON ${readModelSchema}.documents, ${readModelSchema}.active_versions, ${readModelSchema}.active_documents TO "${reporting}";
`)
}

/** Runs `rolesSql` on a pool connected as a role that may create roles and owns both schemas. */
export const createRoles =
  (pool: pg.Pool, options: RoleOptions = {}): TE.TaskEither<unknown, void> =>
  async () => {
    const sql = rolesSql(options)
    if (E.isLeft(sql)) return E.left(new Error(sql.left))
    try {
      await pool.query(sql.right)
      return E.right(undefined)
    } catch (cause) {
      return E.left(cause)
    }
  }
