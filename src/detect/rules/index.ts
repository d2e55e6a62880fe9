import type { DetectionRule } from '../rule.js';
import { Bzip2Rule } from './bzip2.js';
import { CPythonRule } from './cpython.js';
import { ExpatRule } from './expat.js';
import { GlibRule } from './glib.js';
import { GnupgRule, LibassuanRule, LibgcryptRule, LibgpgErrorRule, LibksbaRule } from './gnupg.js';
import { InnoSetupRule, InstallShieldRule, NsisRule, SevenZipRule, SquirrelRule, WixBurnRule, WixToolsetRule } from './installers.js';
import { LibffiRule } from './libffi.js';
import { LibpngRule } from './libpng.js';
import { LibvipsRule } from './libvips.js';
import { MpdecimalRule } from './mpdecimal.js';
import { MsvcRuntimeRule } from './msvc-runtime.js';
import { NcursesRule } from './ncurses.js';
import { NodeJsRule } from './nodejs.js';
import { OpenSslRule } from './openssl.js';
import { SqliteRule } from './sqlite.js';
import { LibTomMathRule, TclRule, TixRule, TkRule } from './tcltk.js';
import { XzRule } from './xz.js';
import { ZlibNgRule } from './zlib-ng.js';
import { ZlibRule } from './zlib.js';
import { ZstdRule } from './zstd.js';

/** Every detection rule, one per component. Adding a component = a file here and one line below. */
export const ALL_RULES: readonly DetectionRule[] = [
  SevenZipRule,
  Bzip2Rule,
  CPythonRule,
  ExpatRule,
  GlibRule,
  GnupgRule,
  InnoSetupRule,
  InstallShieldRule,
  LibffiRule,
  LibgcryptRule,
  LibgpgErrorRule,
  LibassuanRule,
  LibksbaRule,
  LibpngRule,
  LibTomMathRule,
  LibvipsRule,
  MpdecimalRule,
  MsvcRuntimeRule,
  NcursesRule,
  NodeJsRule,
  NsisRule,
  OpenSslRule,
  SqliteRule,
  SquirrelRule,
  TclRule,
  TixRule,
  TkRule,
  WixBurnRule,
  WixToolsetRule,
  XzRule,
  ZlibRule,
  ZlibNgRule,
  ZstdRule,
];
