/**
 * Names for the numeric ids of a Mach-O header, as <mach/machine.h>, <mach-o/loader.h> and
 * llvm-lipo print them. Unknown ids keep their number so nothing is silently merged.
 */

/** CPU_ARCH_ABI64: set on the 64-bit variant of a CPU family. */
const ABI64 = 0x01000000;
/** CPU_ARCH_ABI64_32: 64-bit hardware running a 32-bit pointer ABI (arm64_32 on watchOS). */
const ABI64_32 = 0x02000000;

export const CPU_TYPE = {
  x86: 7,
  x86_64: 7 | ABI64,
  arm: 12,
  arm64: 12 | ABI64,
  arm64_32: 12 | ABI64_32,
  ppc: 18,
  ppc64: 18 | ABI64,
} as const;

const ARM_SUBTYPES: Record<number, string> = {
  0: 'arm',
  5: 'armv4t',
  6: 'armv6',
  7: 'armv5',
  8: 'xscale',
  9: 'armv7',
  10: 'armv7f',
  11: 'armv7s',
  12: 'armv7k',
  13: 'armv8',
  14: 'armv6m',
  15: 'armv7m',
  16: 'armv7em',
};

const PPC_SUBTYPES: Record<number, string> = {
  1: 'ppc601',
  2: 'ppc602',
  3: 'ppc603',
  4: 'ppc603e',
  5: 'ppc603ev',
  6: 'ppc604',
  7: 'ppc604e',
  8: 'ppc620',
  9: 'ppc750',
  10: 'ppc7400',
  11: 'ppc7450',
  100: 'ppc970',
};

/**
 * The arch name of a cputype/cpusubtype pair. The top byte of cpusubtype holds capability bits
 * (CPU_SUBTYPE_LIB64, arm64e's pointer-auth ABI version), so it is masked off before the lookup.
 */
export function archName(cputype: number, cpusubtype: number): string {
  const sub = cpusubtype & 0x00ffffff;
  switch (cputype | 0) {
    case CPU_TYPE.x86:
      // CPU_SUBTYPE_I386_ALL is 3; the 486/586 subtypes are from the 1990s and run i386 code.
      return sub === 4 ? 'i486' : sub === 5 ? 'i586' : 'i386';
    case CPU_TYPE.x86_64:
      return sub === 8 ? 'x86_64h' : 'x86_64';
    case CPU_TYPE.arm:
      return ARM_SUBTYPES[sub] ?? `arm-${sub}`;
    case CPU_TYPE.arm64:
      return sub === 2 ? 'arm64e' : sub === 1 ? 'arm64v8' : 'arm64';
    case CPU_TYPE.arm64_32:
      return 'arm64_32';
    case CPU_TYPE.ppc:
      return PPC_SUBTYPES[sub] ?? 'ppc';
    case CPU_TYPE.ppc64:
      return sub === 100 ? 'ppc970-64' : 'ppc64';
    default:
      return `cpu-${cputype >>> 0}-${sub}`;
  }
}

const FILE_TYPES: Record<number, string> = {
  1: 'MH_OBJECT',
  2: 'MH_EXECUTE',
  3: 'MH_FVMLIB',
  4: 'MH_CORE',
  5: 'MH_PRELOAD',
  6: 'MH_DYLIB',
  7: 'MH_DYLINKER',
  8: 'MH_BUNDLE',
  9: 'MH_DYLIB_STUB',
  10: 'MH_DSYM',
  11: 'MH_KEXT_BUNDLE',
  12: 'MH_FILESET',
};

export function fileTypeName(filetype: number): string {
  return FILE_TYPES[filetype] ?? `MH_TYPE_${filetype >>> 0}`;
}

/** LC_BUILD_VERSION platform ids (<mach-o/loader.h> PLATFORM_*). */
const PLATFORMS: Record<number, string> = {
  1: 'macos',
  2: 'ios',
  3: 'tvos',
  4: 'watchos',
  5: 'bridgeos',
  6: 'maccatalyst',
  7: 'iossimulator',
  8: 'tvossimulator',
  9: 'watchossimulator',
  10: 'driverkit',
  11: 'visionos',
  12: 'visionossimulator',
};

export function platformName(platform: number): string {
  return PLATFORMS[platform] ?? `platform-${platform >>> 0}`;
}
