declare module 'ecdsa-sig-formatter' {
  export function derToJose(signature: Buffer | string, alg: string): string;
  export function joseToDer(signature: Buffer | string, alg: string): Buffer;
}
