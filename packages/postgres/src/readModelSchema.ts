/**
 * The read-model store's tables, as versioned migrations. Ids and positions use `COLLATE "C"`: byte
 * order of UTF-8, which is code-point order (`compareDocumentIds`) for ids and the positions' own
 * string order for checkpoints and skips.
 */
import type { Migration } from './migrations.ts'

export const readModelMigrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    description: 'documents, checkpoints, skips and active versions, with the active_documents view for reports',
    sql: (schema) => `
      CREATE TABLE ${schema}.documents (
        projection text NOT NULL,
        projection_version integer NOT NULL,
        id text COLLATE "C" NOT NULL,
        -- jsonb: reports query documents with SQL operators and indexes.
        document jsonb NOT NULL,
        PRIMARY KEY (projection, projection_version, id)
      );
      CREATE TABLE ${schema}.checkpoints (
        projection text NOT NULL,
        projection_version integer NOT NULL,
        position text COLLATE "C" NOT NULL,
        PRIMARY KEY (projection, projection_version)
      );
      CREATE TABLE ${schema}.skips (
        projection text NOT NULL,
        projection_version integer NOT NULL,
        position text COLLATE "C" NOT NULL,
        stream_id text,
        stream_version bigint,
        event_type text,
        reason text NOT NULL,
        actor text NOT NULL,
        -- The caller's ISO-8601 text, given back exactly as recorded.
        skipped_at text NOT NULL,
        PRIMARY KEY (projection, projection_version, position)
      );
      CREATE TABLE ${schema}.active_versions (
        projection text PRIMARY KEY,
        projection_version integer NOT NULL
      );
      -- What a report reads: each projection's documents in the version readers are switched to.
      CREATE VIEW ${schema}.active_documents AS
        SELECT documents.projection, documents.id, documents.document
          FROM ${schema}.documents
          JOIN ${schema}.active_versions USING (projection, projection_version);
    `,
  },
]
