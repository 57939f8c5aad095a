/**
 * An EventStoreDB **protocol double**: an in-process gRPC server on 127.0.0.1 that serves the part
 * of EventStoreDB's streams service the adapter uses (Append; Read of a stream, of `$all`, and
 * catch-up subscriptions to `$all` with server-side filters), built from the client package's own
 * generated service definitions, so that the real client talks real gRPC to it. It is not a server:
 * it keeps everything in memory, and docs/eventstoredb.md lists where it may differ from one.
 *
 * The semantics follow EventStoreDB's documentation and sources: revisions from 0; an append checks
 * its expected revision, and an append whose event ids are already at that expected revision
 * succeeds without writing (idempotence); `$all` positions are (commit, prepare) log offsets; a read
 * of `$all` forwards includes the event at its start position, a subscription starts after it; a
 * filtered subscription sends a checkpoint every (multiplier × search window) events it looked at,
 * then `caught_up` before live events.
 */
import { Server, ServerCredentials, status, type ServerDuplexStream, type ServerReadableStream, type ServerWritableStream } from '@grpc/grpc-js'
import sharedPb from '@eventstore/db-client/generated/shared_pb.js'
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js'
import streamsPb from '@eventstore/db-client/generated/streams_pb.js'

type ReadRequest = InstanceType<typeof streamsPb.ReadReq>
type ReadResponse = InstanceType<typeof streamsPb.ReadResp>
type AppendRequest = InstanceType<typeof streamsPb.AppendReq>
type AppendResponse = InstanceType<typeof streamsPb.AppendResp>
type FilterOptions = InstanceType<typeof streamsPb.ReadReq.Options.FilterOptions>

interface StoredRecord {
  readonly streamName: string
  readonly revision: bigint
  readonly id: string
  readonly type: string
  readonly contentType: string
  readonly created: string
  readonly data: Uint8Array
  readonly customMetadata: Uint8Array
  /** Commit and prepare position: here the record's offset in the log, the same for both. */
  readonly position: bigint
}

export interface EventStoreDbProtocolDoubleOptions {
  /** The server's clock, for `created`; the system clock when absent. */
  readonly clock?: () => Date
  /**
   * EventStoreDB writes its own events (`$`-prefixed streams and types) into `$all`, from the first
   * start on; the double writes this many at start, so that readers must step over them. Default 2.
   */
  readonly systemEventsAtStart?: number
}

export interface EventStoreDbProtocolDouble {
  /** `esdb://127.0.0.1:<port>?tls=false`, for `EventStoreDBClient.connectionString`. */
  readonly connectionString: string
  /** Writes an event of EventStoreDB's own, as its statistics collector does every few seconds. */
  readonly appendSystemEvent: () => void
  /** Ends every open call with UNAVAILABLE, as a network cut or a node restart does; the data stays. */
  readonly dropConnections: () => void
  /** Replaces the server's clock, for tests that share one double between stores. */
  readonly setClock: (clock: () => Date) => void
  /** How many catch-up subscriptions to `$all` are open now. */
  readonly openSubscriptions: () => number
  readonly close: () => Promise<void>
}

// Ticks are .NET's 100 ns units, the unit of EventStoreDB's `created`.
const TICKS_PER_MILLISECOND = 10_000n
// The server's default search window for filtered reads (its read batch size).
const DEFAULT_SEARCH_WINDOW = 32
// Each record takes room in the log; positions are offsets, so they grow by more than one.
const RECORD_HEADER_BYTES = 128n

const toBytes = (value: Uint8Array | string): Uint8Array => (typeof value === 'string' ? Buffer.from(value, 'base64') : value)
const streamNameOf = (identifier: { getStreamName_asU8: () => Uint8Array } | undefined): string =>
  identifier === undefined ? '' : Buffer.from(identifier.getStreamName_asU8()).toString('utf8')

const streamIdentifier = (name: string) => new sharedPb.StreamIdentifier().setStreamName(Uint8Array.from(Buffer.from(name, 'utf8')))

const uuidOf = (id: string) => new sharedPb.UUID().setString(id)

/** A filter on the stream name or event type, by prefixes or a regular expression, as the server applies it. */
const filterPredicate = (filter: FilterOptions | undefined): ((record: StoredRecord) => boolean) => {
  if (filter === undefined) return () => true
  const expression = filter.hasStreamIdentifier() ? filter.getStreamIdentifier() : filter.getEventType()
  const subject = (record: StoredRecord): string => (filter.hasStreamIdentifier() ? record.streamName : record.type)
  const prefixes = expression?.getPrefixList() ?? []
  const regex = expression?.getRegex() ?? ''
  if (prefixes.length > 0) return (record) => prefixes.some((prefix) => subject(record).startsWith(prefix))
  if (regex !== '') {
    const pattern = new RegExp(regex)
    return (record) => pattern.test(subject(record))
  }
  return () => true
}

const recordedEvent = (record: StoredRecord) => {
  const message = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidOf(record.id))
    .setStreamIdentifier(streamIdentifier(record.streamName))
    .setStreamRevision(record.revision.toString())
    .setCommitPosition(record.position.toString())
    .setPreparePosition(record.position.toString())
    .setData(record.data)
    .setCustomMetadata(record.customMetadata)
  message.getMetadataMap().set('type', record.type).set('content-type', record.contentType).set('created', record.created)
  return message
}

const eventResponse = (record: StoredRecord): ReadResponse =>
  new streamsPb.ReadResp().setEvent(
    new streamsPb.ReadResp.ReadEvent().setEvent(recordedEvent(record)).setCommitPosition(record.position.toString()),
  )

const checkpointResponse = (position: bigint): ReadResponse =>
  new streamsPb.ReadResp().setCheckpoint(
    new streamsPb.ReadResp.Checkpoint().setCommitPosition(position.toString()).setPreparePosition(position.toString()),
  )

export const startEventStoreDbProtocolDouble = async (options: EventStoreDbProtocolDoubleOptions = {}): Promise<EventStoreDbProtocolDouble> => {
  let clock = options.clock ?? (() => new Date())
  const log: Array<StoredRecord> = []
  const streams = new Map<string, Array<StoredRecord>>()
  const liveListeners = new Set<(records: ReadonlyArray<StoredRecord>) => void>()
  const openCalls = new Set<ServerWritableStream<ReadRequest, ReadResponse> | ServerReadableStream<AppendRequest, AppendResponse>>()
  let nextPosition = 0n

  const write = (
    streamName: string,
    proposed: ReadonlyArray<{ id: string; type: string; contentType: string; data: Uint8Array; customMetadata: Uint8Array }>,
  ): ReadonlyArray<StoredRecord> => {
    const stream = streams.get(streamName) ?? []
    streams.set(streamName, stream)
    const created = (BigInt(clock().getTime()) * TICKS_PER_MILLISECOND).toString()
    const written = proposed.map((event) => {
      const record: StoredRecord = { streamName, revision: BigInt(stream.length), created, position: nextPosition, ...event }
      nextPosition += RECORD_HEADER_BYTES + BigInt(event.data.length + event.customMetadata.length + event.type.length)
      stream.push(record)
      log.push(record)
      return record
    })
    for (const listener of [...liveListeners]) listener(written)
    return written
  }

  const appendSystemEvent = (): void => {
    write('$stats-127.0.0.1:2113', [
      { id: crypto.randomUUID(), type: '$statsCollected', contentType: 'application/json', data: Buffer.from('{}'), customMetadata: new Uint8Array() },
    ])
  }
  for (let index = 0; index < (options.systemEventsAtStart ?? 2); index++) appendSystemEvent()

  type Expected = { readonly kind: 'revision'; readonly revision: bigint } | { readonly kind: 'any' } | { readonly kind: 'streamExists' }

  /** EventStoreDB's commit check: write, recognise a repeat of the same ids at the expected place, or refuse. */
  const decideAppend = (stream: ReadonlyArray<StoredRecord>, expected: Expected, ids: ReadonlyArray<string>): 'Write' | 'WrongExpectedVersion' | { readonly repeatOf: StoredRecord } => {
    const current = BigInt(stream.length) - 1n
    const repeatFrom = (start: number): StoredRecord | 'Partial' | undefined => {
      const matched = ids.filter((id, index) => stream[start + index]?.id === id).length
      if (matched === ids.length) return stream[start + ids.length - 1]
      return matched > 0 ? 'Partial' : undefined
    }
    if (expected.kind === 'revision') {
      if (expected.revision === current) return 'Write'
      if (expected.revision > current) return 'WrongExpectedVersion'
      const repeat = repeatFrom(Number(expected.revision + 1n))
      return repeat === undefined || repeat === 'Partial' ? 'WrongExpectedVersion' : { repeatOf: repeat }
    }
    if (expected.kind === 'streamExists' && stream.length === 0) return 'WrongExpectedVersion'
    const first = ids[0]
    const start = stream.findIndex((record) => record.id === first)
    if (start < 0) return 'Write'
    const repeat = repeatFrom(start)
    return repeat === undefined ? 'Write' : repeat === 'Partial' ? 'WrongExpectedVersion' : { repeatOf: repeat }
  }

  const append = (call: ServerReadableStream<AppendRequest, AppendResponse>, callback: (error: { code: number; details: string } | null, response?: AppendResponse) => void): void => {
    openCalls.add(call)
    const requests: Array<AppendRequest> = []
    call.on('data', (request: AppendRequest) => requests.push(request))
    call.on('error', () => openCalls.delete(call))
    call.on('end', () => {
      openCalls.delete(call)
      const header = requests[0]?.getOptions()
      if (header === undefined) return callback({ code: status.INVALID_ARGUMENT, details: 'the first message of an append must carry its options' })
      const streamName = streamNameOf(header.getStreamIdentifier())
      const expected: Expected = header.hasRevision()
        ? { kind: 'revision', revision: BigInt(header.getRevision()) }
        : header.hasNoStream()
          ? { kind: 'revision', revision: -1n }
          : header.hasStreamExists()
            ? { kind: 'streamExists' }
            : { kind: 'any' }
      const proposed = requests.slice(1).flatMap((request) => {
        const message = request.getProposedMessage()
        if (message === undefined) return []
        const metadata = message.getMetadataMap()
        return [
          {
            // The server parses ids as GUIDs and gives them back in lower case.
            id: (message.getId()?.getString() ?? '').toLowerCase(),
            type: metadata.get('type') ?? '',
            contentType: metadata.get('content-type') ?? 'application/octet-stream',
            data: toBytes(message.getData()),
            customMetadata: toBytes(message.getCustomMetadata()),
          },
        ]
      })
      const stream = streams.get(streamName) ?? []
      const decision = decideAppend(stream, expected, proposed.map((event) => event.id))
      const response = new streamsPb.AppendResp()
      if (decision === 'WrongExpectedVersion') {
        const wrong = new streamsPb.AppendResp.WrongExpectedVersion()
        if (stream.length === 0) wrong.setCurrentNoStream(new sharedPb.Empty())
        else wrong.setCurrentRevision((BigInt(stream.length) - 1n).toString())
        if (expected.kind === 'any') wrong.setExpectedAny(new sharedPb.Empty())
        else if (expected.kind === 'streamExists') wrong.setExpectedStreamExists(new sharedPb.Empty())
        else if (expected.revision === -1n) wrong.setExpectedNoStream(new sharedPb.Empty())
        else wrong.setExpectedRevision(expected.revision.toString())
        return callback(null, response.setWrongExpectedVersion(wrong))
      }
      const last = decision === 'Write' ? write(streamName, proposed).at(-1) : decision.repeatOf
      const success = new streamsPb.AppendResp.Success()
      if (last === undefined) success.setNoStream(new sharedPb.Empty()).setNoPosition(new sharedPb.Empty())
      else {
        success
          .setCurrentRevision(last.revision.toString())
          .setPosition(new streamsPb.AppendResp.Position().setCommitPosition(last.position.toString()).setPreparePosition(last.position.toString()))
      }
      callback(null, response.setSuccess(success))
    })
  }

  const readStream = (call: ServerWritableStream<ReadRequest, ReadResponse>, options: InstanceType<typeof streamsPb.ReadReq.Options>): void => {
    const streamOptions = options.getStream()
    const streamName = streamNameOf(streamOptions?.getStreamIdentifier())
    const stream = streams.get(streamName)
    if (stream === undefined || stream.length === 0) {
      call.write(new streamsPb.ReadResp().setStreamNotFound(new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(streamName))))
      call.end()
      return
    }
    const count = Number(options.getCount())
    const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS
    const last = stream.length - 1
    const requested = streamOptions?.hasRevision() ? Number(streamOptions.getRevision()) : undefined
    const selected = backwards
      ? stream.slice(Math.max(0, Math.min(requested ?? last, last) - count + 1), Math.min(requested ?? last, last) + 1).reverse()
      : stream.slice(streamOptions?.hasEnd() ? stream.length : (requested ?? 0), (streamOptions?.hasEnd() ? stream.length : (requested ?? 0)) + count)
    for (const record of selected) call.write(eventResponse(record))
    call.end()
  }

  const allOptionsStart = (options: InstanceType<typeof streamsPb.ReadReq.Options>): 'start' | 'end' | bigint => {
    const all = options.getAll()
    if (all?.hasPosition()) return BigInt(all.getPosition()?.getCommitPosition() ?? '0')
    return all?.hasEnd() ? 'end' : 'start'
  }

  const readAll = (call: ServerWritableStream<ReadRequest, ReadResponse>, options: InstanceType<typeof streamsPb.ReadReq.Options>): void => {
    const start = allOptionsStart(options)
    const count = Number(options.getCount())
    const keeps = filterPredicate(options.hasFilter() ? options.getFilter() : undefined)
    const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS
    // Forwards from a position includes the event at it; backwards from a position starts before it.
    const candidates = backwards
      ? log.filter((record) => start === 'end' || (start !== 'start' && record.position < start)).reverse()
      : log.filter((record) => start === 'start' || (start !== 'end' && record.position >= start))
    for (const record of candidates.filter(keeps).slice(0, count)) call.write(eventResponse(record))
    call.end()
  }

  const subscribeToAll = (call: ServerWritableStream<ReadRequest, ReadResponse>, options: InstanceType<typeof streamsPb.ReadReq.Options>): void => {
    const start = allOptionsStart(options)
    const filter = options.hasFilter() ? options.getFilter() : undefined
    const keeps = filterPredicate(filter)
    const window = filter?.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW
    const checkpointInterval = BigInt(Math.max(1, filter?.getCheckpointintervalmultiplier() ?? 1) * window)
    let considered = 0n
    const send = (records: ReadonlyArray<StoredRecord>): void => {
      for (const record of records) {
        if (keeps(record)) call.write(eventResponse(record))
        considered += 1n
        if (filter !== undefined && considered % checkpointInterval === 0n) call.write(checkpointResponse(record.position))
      }
    }
    call.write(new streamsPb.ReadResp().setConfirmation(new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(crypto.randomUUID())))
    // A subscription from a position starts after the event at it.
    if (start !== 'end') send(log.filter((record) => start === 'start' || record.position > start))
    call.write(new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp()))
    liveListeners.add(send)
    const stop = (): void => {
      liveListeners.delete(send)
      openCalls.delete(call)
    }
    call.on('cancelled', stop)
    call.on('close', stop)
    call.on('error', stop)
  }

  const read = (call: ServerWritableStream<ReadRequest, ReadResponse>): void => {
    const options = call.request.getOptions()
    openCalls.add(call)
    call.on('finish', () => openCalls.delete(call))
    if (options === undefined) return void call.emit('error', { code: status.INVALID_ARGUMENT, details: 'a read needs options' })
    if (options.hasSubscription() && options.hasAll()) return subscribeToAll(call, options)
    if (options.hasSubscription()) return void call.emit('error', { code: status.UNIMPLEMENTED, details: 'the protocol double serves subscriptions to $all only' })
    if (options.hasStream()) return readStream(call, options)
    return readAll(call, options)
  }

  const unimplemented = (_call: ServerDuplexStream<unknown, unknown> | ServerWritableStream<unknown, unknown>, callback?: (error: { code: number; details: string }) => void): void => {
    const error = { code: status.UNIMPLEMENTED, details: 'not served by the EventStoreDB protocol double' }
    if (callback !== undefined) callback(error)
    else _call.emit('error', error)
  }

  const server = new Server()
  server.addService(streamsGrpc.StreamsService, { read, append, delete: unimplemented, tombstone: unimplemented, batchAppend: unimplemented })
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, boundPort) => (error === null ? resolve(boundPort) : reject(error))),
  )

  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    appendSystemEvent,
    dropConnections: () => {
      for (const call of [...openCalls]) call.emit('error', { code: status.UNAVAILABLE, details: 'the protocol double dropped the connection' })
      openCalls.clear()
      liveListeners.clear()
    },
    setClock: (replacement) => {
      clock = replacement
    },
    openSubscriptions: () => liveListeners.size,
    close: () =>
      new Promise<void>((resolve) => {
        liveListeners.clear()
        server.forceShutdown()
        resolve()
      }),
  }
}
