import type { LocalDate } from '../values/dates.ts'
import type { CommuneId, TownId } from '../values/identifiers.ts'
import type { AdministrativeUnitCommand } from './commands.ts'
import type { Commune } from './state.ts'

export type AdministrativeUnitRejection =
  | { readonly _tag: 'CommuneStatusDisallowsCommand'; readonly command: AdministrativeUnitCommand['type']; readonly status: Commune['status'] }
  /** Changes are recorded in the order they took effect, so the dated history has no holes. */
  | { readonly _tag: 'ChangeBeforeLatestChange'; readonly latestChangeOn: LocalDate; readonly date: LocalDate }
  | { readonly _tag: 'CommuneAlreadyInTown'; readonly townId: TownId }
  | { readonly _tag: 'CommuneNotInTown'; readonly townId: TownId; readonly currentTownId: TownId | null }
  | { readonly _tag: 'CommuneMergedIntoItself'; readonly communeId: CommuneId }
