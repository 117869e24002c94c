export { expandHome, userHome } from "./paths.js";
export { INI_DEFAULT_SECTION, IniDocument, type IniEntry, type IniSection } from "./ini.js";
export {
  defineSettings,
  parseBoolean,
  type SettingDefinition,
  type SettingName,
  type SettingResult,
  type SettingsTable,
  type SettingType,
  type SettingTypeMap,
  type SettingValue,
} from "./settings-table.js";
export {
  ConfigEnvironments,
  DEFAULT_ENVIRONMENT,
  LEGACY_DEFAULT_SECTION,
  type ConfigEnvironmentsOptions,
  type SettingSource,
} from "./environments.js";
export {
  readCredentialFile,
  type CredentialFile,
  type CredentialKeyDefinition,
  type CredentialSectionDefinition,
  type ReadCredentialFileOptions,
} from "./credentials.js";
