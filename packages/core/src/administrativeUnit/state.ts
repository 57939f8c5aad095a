/** A commune's dated facts: its kind over time and its periods in towns, so any past day can be answered. */
import type { LocalDate } from '../values/dates.ts'
import type { CommuneId, TownId } from '../values/identifiers.ts'
import type { UnitKind } from './events.ts'

export interface KindPeriod {
  readonly unitKind: UnitKind
  readonly validFrom: LocalDate
}

/** Membership of a town over [validFrom, validTo); `validTo` undefined while it lasts. */
export interface TownMembership {
  readonly townId: TownId
  readonly validFrom: LocalDate
  readonly validTo?: LocalDate
}

export interface CommuneRecord {
  readonly communeId: CommuneId
  readonly name: string
  readonly declaredOn: LocalDate
  readonly kinds: ReadonlyArray<KindPeriod>
  readonly towns: ReadonlyArray<TownMembership>
  /** The latest day any change took effect: later changes may not be dated before it. */
  readonly latestChangeOn: LocalDate
}

export type Commune =
  | { readonly status: 'Undeclared' }
  | ({ readonly status: 'Active' } & CommuneRecord)
  | ({ readonly status: 'Merged'; readonly mergedInto: CommuneId; readonly mergedOn: LocalDate } & CommuneRecord)

export const undeclared: Commune = { status: 'Undeclared' }
