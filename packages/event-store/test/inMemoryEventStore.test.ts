import { createInMemoryStorage, inMemoryEventStore } from '@policy-credit/event-store'
import { describeEventStoreContract } from '@policy-credit/event-store/testing'

describeEventStoreContract('in-memory', (options) => {
  const storage = createInMemoryStorage()
  return Promise.resolve({
    store: inMemoryEventStore({ ...options, storage }),
    connect: () => Promise.resolve(inMemoryEventStore({ ...options, storage })),
  })
})
