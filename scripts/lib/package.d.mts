export function treeBytes(dir: string): number;
export interface InstalledPackage {
  tarball: string;
  /** paths inside the tarball */
  files: string[];
  packedBytes: number;
  unpackedBytes: number;
  /** the folder it is installed in (node_modules/.bin/flows-console) */
  app: string;
  /** every file under app/node_modules */
  installedBytes: number;
  /** the packages under app/node_modules */
  installedPackages: string[];
  packSeconds: number;
  installSeconds: number;
}
export function packAndInstall(dir: string): Promise<InstalledPackage>;
