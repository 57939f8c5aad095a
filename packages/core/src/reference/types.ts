/**
 * The shapes of dated reference data shared by the aggregates. The values live beside this file
 * (poverty standards, programmes, administrative units), each version with its legal source and
 * validity period, so a fact marked [GK] in the domain reference can be corrected in one place.
 */
import * as t from 'io-ts'
import { RateMultiple, RatePpm, Vnd } from '../values/money.ts'
import { LocalDate } from '../values/dates.ts'

/** Xã (rural) vs phường / thị trấn (urban): income lines differ by area. */
export const AreaType = t.keyof({ RURAL: null, URBAN: null }, 'AreaType')
export type AreaType = t.TypeOf<typeof AreaType>

/** The national poverty standards (chuẩn nghèo), by legal instrument. */
export const PovertyStandardId = t.keyof({ 'QD-09-2011': null, 'QD-59-2015': null, 'ND-07-2021': null }, 'PovertyStandardId')
export type PovertyStandardId = t.TypeOf<typeof PovertyStandardId>

/** The class a review gives a household under one standard (domain.md §1.3). */
export const ReviewClass = t.keyof({ POOR: null, NEAR_POOR: null, AVERAGE_LIVING: null, NONE: null }, 'ReviewClass')
export type ReviewClass = t.TypeOf<typeof ReviewClass>

/**
 * The class a household holds on a given day, for eligibility: a review class, or the "newly escaped"
 * status that lasts three years after leaving the poor (or near-poor) list.
 */
export const HouseholdClass = t.keyof(
  { POOR: null, NEAR_POOR: null, ESCAPED_POVERTY: null, ESCAPED_NEAR_POVERTY: null, AVERAGE_LIVING: null, NONE: null },
  'HouseholdClass',
)
export type HouseholdClass = t.TypeOf<typeof HouseholdClass>

/** The national credit programmes (domain.md §3); the codes are ours. */
export const ProgrammeId = t.keyof(
  {
    POOR_HOUSEHOLD: null, // hộ nghèo, Decree 78/2002
    NEAR_POOR_HOUSEHOLD: null, // hộ cận nghèo, Decision 15/2013
    NEWLY_ESCAPED_POVERTY: null, // hộ mới thoát nghèo, Decision 28/2015
    JOB_CREATION: null, // giải quyết việc làm, Decree 61/2015
    STUDENT: null, // học sinh sinh viên, Decision 157/2007
    ONLINE_LEARNING_COMPUTER: null, // máy tính học trực tuyến, Decision 09/2022
    CLEAN_WATER_SANITATION: null, // nước sạch và vệ sinh môi trường nông thôn, Decision 62/2004, 10/2024
    SOCIAL_HOUSING: null, // nhà ở xã hội, Decree 100/2015
  },
  'ProgrammeId',
)
export type ProgrammeId = t.TypeOf<typeof ProgrammeId>

/** Where the money lent comes from (nguồn vốn): central funds or a local budget's entrusted capital. */
export const CapitalSourceKind = t.keyof({ CENTRAL: null, LOCAL_BUDGET: null }, 'CapitalSourceKind')
export type CapitalSourceKind = t.TypeOf<typeof CapitalSourceKind>

/** The four socio-political organisations that lend on the bank's behalf (hội đoàn thể nhận ủy thác). */
export const MassOrganisationKind = t.keyof(
  { WOMENS_UNION: null, FARMERS_ASSOCIATION: null, VETERANS_ASSOCIATION: null, YOUTH_UNION: null },
  'MassOrganisationKind',
)
export type MassOrganisationKind = t.TypeOf<typeof MassOrganisationKind>

/**
 * One dated version of a programme's terms. `versionId` is what a `LoanApproved` event records, so an
 * auditor can see the terms the decision saw. The cap is per loan unless `capBasis` says otherwise.
 */
export const ProgrammeTerms = t.readonly(
  t.intersection([
    t.type({
      programme: ProgrammeId,
      versionId: t.string,
      validFrom: LocalDate,
      legalBasis: t.string,
      eligibleClasses: t.readonlyArray(HouseholdClass),
      cap: Vnd,
      capBasis: t.keyof({ PER_LOAN: null, PER_MONTH_OF_STUDY: null, PER_FACILITY_TYPE: null, PER_WORKER: null }),
      yearlyRate: RatePpm,
      overdueRateShare: RateMultiple, // 13_000: overdue interest is 130 % of the loan rate
      maxTermMonths: t.number,
      collateralRequired: t.boolean,
      evidence: t.string, // [V:Sn] / [GK] markers from domain.md, so unverified facts are visible
    }),
    t.partial({ validTo: LocalDate }),
  ]),
  'ProgrammeTerms',
)
export type ProgrammeTerms = t.TypeOf<typeof ProgrammeTerms>
