/**
 * The event store's tables, as versioned migrations. Never edit a migration that has shipped: add the
 * next one. The SQL text takes the schema already quoted (see `connection.ts`).
 */
import type { Migration } from './migrations.ts'
import { EVENT_ID_ALREADY_STORED, EVENT_IS_IMMUTABLE, WRONG_EXPECTED_VERSION } from './errors.ts'

/** Advisory-lock class for appends; the second key is the stream id's hash. */
export const STREAM_LOCK_CLASS = 0x5043_0002

/** The channel the insert trigger notifies: one per schema, so two stores in one database stay apart. */
export const notificationChannel = (schemaName: string): string => `${schemaName}.events`

export const eventStoreMigrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    description: 'events table ordered by (transaction id, sequence), immutable, with the append function',
    sql: (schema) => `
      CREATE TABLE ${schema}.events (
        -- The writing transaction: readers only pass rows whose transaction is older than every
        -- transaction still running, so an event that commits late is never skipped (docs/postgres.md).
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        sequence bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
        stream_id text NOT NULL,
        version bigint NOT NULL CHECK (version > 0),
        event_id text NOT NULL,
        type text NOT NULL CHECK (type <> ''),
        -- json, not jsonb: the text is kept as written (canonical, keys sorted), byte for byte.
        data json NOT NULL,
        metadata json NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (stream_id, version),
        CONSTRAINT events_event_id_key UNIQUE (event_id)
      );
      CREATE UNIQUE INDEX events_position ON ${schema}.events (transaction_id, sequence);

      CREATE FUNCTION ${schema}.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION USING ERRCODE = '${EVENT_IS_IMMUTABLE}',
          MESSAGE = format('events are immutable: %s on %I.%I refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME);
      END $$;
      CREATE TRIGGER events_are_immutable BEFORE UPDATE OR DELETE ON ${schema}.events
        FOR EACH ROW EXECUTE FUNCTION ${schema}.refuse_event_change();
      CREATE TRIGGER events_are_not_truncated BEFORE TRUNCATE ON ${schema}.events
        FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.refuse_event_change();

      -- Wakes live subscribers; NOTIFY folds identical notifications of one transaction into one.
      CREATE FUNCTION ${schema}.notify_events_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify(format('%s.events', TG_TABLE_SCHEMA), '');
        RETURN NULL;
      END $$;
      CREATE TRIGGER events_appended AFTER INSERT ON ${schema}.events
        FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.notify_events_appended();

      -- Appends to one or more streams in one round trip: the fast path of every append. Stream i
      -- owns the events p_first_event[i] .. p_first_event[i] + p_event_count[i] - 1 of the event
      -- arrays. A refusal raises, so nothing of the call is written; its JSON DETAIL is read by
      -- errors.ts. When an event id is already stored it raises too, and the store plans the append
      -- in TypeScript (planAppend: an idempotent repeat or a duplicate), one rule for every store.
      CREATE FUNCTION ${schema}.append_events(
        p_stream_ids text[], p_expected_kinds text[], p_expected_versions bigint[],
        p_first_event integer[], p_event_count integer[],
        p_event_ids text[], p_types text[], p_data text[], p_metadata text[],
        p_recorded_at timestamptz, p_check_event_ids boolean)
      RETURNS TABLE (o_last_version bigint, o_transaction_id xid8, o_last_sequence bigint)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        v_stream text;
        v_first integer;
        v_last integer;
        v_current bigint;
        v_stored text;
        v_sequence bigint;
      BEGIN
        -- One lock per stream, taken in hash order so that two multi-stream appends cannot deadlock.
        PERFORM pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(d.stream_id))
          FROM (SELECT DISTINCT u.stream_id FROM unnest(p_stream_ids) AS u(stream_id)) AS d
          ORDER BY hashtext(d.stream_id);

        IF p_check_event_ids THEN
          SELECT stored.event_id INTO v_stored FROM ${schema}.events AS stored WHERE stored.event_id = ANY(p_event_ids) LIMIT 1;
          IF FOUND THEN
            RAISE EXCEPTION USING ERRCODE = '${EVENT_ID_ALREADY_STORED}',
              MESSAGE = format('event id %s is already stored', v_stored);
          END IF;
        END IF;

        FOR i IN 1 .. coalesce(array_length(p_stream_ids, 1), 0) LOOP
          v_stream := p_stream_ids[i];
          v_first := p_first_event[i];
          v_last := p_first_event[i] + p_event_count[i] - 1;

          -- The rule of satisfiesExpectedVersion (@policy-credit/event-store); the conformance suite holds both to it.
          SELECT max(version) INTO v_current FROM ${schema}.events WHERE stream_id = v_stream;
          IF (p_expected_kinds[i] = 'NoStream' AND v_current IS NOT NULL)
             OR (p_expected_kinds[i] = 'StreamExists' AND v_current IS NULL)
             OR (p_expected_kinds[i] = 'Exactly' AND coalesce(v_current, 0) <> p_expected_versions[i]) THEN
            RAISE EXCEPTION USING ERRCODE = '${WRONG_EXPECTED_VERSION}',
              MESSAGE = format('stream %s is at version %s', v_stream, coalesce(v_current, 0)),
              DETAIL = json_build_object('streamId', v_stream, 'actual', v_current::text)::text;
          END IF;

          WITH inserted AS (
            INSERT INTO ${schema}.events (stream_id, version, event_id, type, data, metadata, recorded_at)
            SELECT v_stream, coalesce(v_current, 0) + n.rank, n.event_id, n.type, n.data::json, n.metadata::json, p_recorded_at
              FROM unnest(p_event_ids[v_first:v_last], p_types[v_first:v_last], p_data[v_first:v_last], p_metadata[v_first:v_last])
                   WITH ORDINALITY AS n(event_id, type, data, metadata, rank)
              ORDER BY n.rank
            RETURNING sequence)
          SELECT max(inserted.sequence) INTO v_sequence FROM inserted;
          RETURN QUERY SELECT coalesce(v_current, 0) + p_event_count[i], pg_current_xact_id(), v_sequence;
        END LOOP;
      END $$;
    `,
  },
]
