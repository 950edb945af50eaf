// Types of scripts/toolchain-zoo.mjs for the tests.
export interface ZooOutput {
  readonly name: string;
  readonly path: string;
}
export interface ZooSkip {
  readonly name: string;
  readonly reason: string;
}
export interface Zoo {
  readonly dir: string;
  readonly outputs: readonly ZooOutput[];
  readonly skipped: readonly ZooSkip[];
}
export declare const ZOO_SOURCE: string;
export declare function buildZoo(dir: string, log?: (line: string) => void): Zoo;
export declare function gccVersion(gcc?: string): string | undefined;
export declare function zooKey(gcc?: string): string;
