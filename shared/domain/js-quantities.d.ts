// The package ships no types; only what units.ts uses is declared.
declare module 'js-quantities' {
  interface Qty {
    readonly scalar: number;
    readonly numerator: string[];
    readonly denominator: string[];
    isUnitless(): boolean;
    toBase(): Qty;
    units(): string;
  }
  interface QtyStatic {
    (value: string): Qty;
    parse(value: string): Qty | null;
    swiftConverter(from: string, to: string): (value: number) => number;
  }
  const Qty: QtyStatic;
  export default Qty;
}
