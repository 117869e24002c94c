import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**", "**/src/generated/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // vsphere loads common's client entry only: the main one adds the configuration files, keyring,
    // polling and paging, 18 ms of CPU to a new process's first connection (docs/decisions/0027).
    files: ["packages/vsphere/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "@nimbus-sdk/common", message: "import @nimbus-sdk/common/client (decision 0027)." }] },
      ],
    },
  },
);
