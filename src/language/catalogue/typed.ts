/**
 * The types of attribute values, derived from the catalogue entries: what a verb's executor receives
 * after the compiler has checked, converted and defaulted every attribute (docs/verbs.md).
 */
import type { DocumentContext } from '../types.js';
import type { AttributeSpec, AttributeType } from './spec.js';
import type { VerbName, VerbSpec } from './verbs.js';

/** The converted value of an attribute of `type` (what `checkValue` returns for it). */
export type AttributeValueOf<T extends AttributeType> = T extends { kind: 'integer' }
  ? number
  : T extends { kind: 'boolean' }
    ? boolean
    : T extends { kind: 'enum'; values: readonly (infer V)[] }
      ? V
      : string;

/** Whether an attribute takes effect in context `C` (the compiler leaves the others out of the program). */
type AppliesIn<A extends AttributeSpec, C extends DocumentContext> = A extends { contexts: readonly (infer X)[] }
  ? C extends X ? true : false
  : true;

/** Whether an attribute that applies in `C` is always present there: required there, or defaulted. */
type PresentIn<A extends AttributeSpec, C extends DocumentContext> = A extends { default: string }
  ? true
  : A extends { required: true }
    ? true
    : A extends { required: readonly (infer X)[] }
      ? C extends X ? true : false
      : false;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** A verb's attribute values in context `C`: present ones as such, the others optional, inapplicable ones absent. */
export type AttributesIn<S extends { readonly attributes: readonly AttributeSpec[] }, C extends DocumentContext> = Flatten<
  {
    readonly [A in S['attributes'][number] as AppliesIn<A, C> extends true ? (PresentIn<A, C> extends true ? A['name'] : never) : never]:
      AttributeValueOf<A['type']>;
  } & {
    readonly [A in S['attributes'][number] as AppliesIn<A, C> extends true ? (PresentIn<A, C> extends true ? never : A['name']) : never]?:
      AttributeValueOf<A['type']>;
  }
>;

export type VerbSpecOf<V extends VerbName> = Extract<VerbSpec, { name: V }>;

/** The contexts a verb may run in. */
export type VerbContext<V extends VerbName> = VerbSpecOf<V> extends { contexts: readonly (infer C)[] } ? C & DocumentContext : DocumentContext;

/**
 * A verb's attributes as its executor sees them: the context it runs in, and the values typed for
 * that context — checking `context` narrows `values` (third-party attributes appear in the third-party branch).
 */
export type VerbAttributes<V extends VerbName> = {
  [C in VerbContext<V>]: { readonly context: C; readonly values: AttributesIn<VerbSpecOf<V>, C> };
}[VerbContext<V>];
