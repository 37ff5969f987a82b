// Stylelint for ui/src/*.css (run by `npm run lint:css` and `make lint`).
//
// Why: a missing closing brace once made the bundler nest 76 rule groups under `.sync-welcome`
// and silently unstyled five screens. Stylelint refuses unclosed blocks (a CSS syntax error), and
// `max-nesting-depth: 0` refuses any nested rule at all: this codebase writes flat CSS, so a
// nested rule can only be a brace in the wrong place. The standard config's correctness rules
// stay on; its purely cosmetic naming/notation rules are off because the code uses BEM class
// names (`block__element--modifier`) and `rgba()` on purpose.
export default {
  extends: ["stylelint-config-standard"],
  rules: {
    "max-nesting-depth": [0, { ignoreAtRules: ["media", "supports"] }],
    "selector-class-pattern": [
      "^[a-z][a-z0-9]*(-[a-z0-9]+)*(__[a-z0-9]+(-[a-z0-9]+)*)?(--[a-z0-9_]+(-[a-z0-9]+)*)?$",
      { message: (s) => `class ${s} is not block__element--modifier in kebab-case` },
    ],
    "color-function-notation": null,
    "color-function-alias-notation": null,
    "alpha-value-notation": null,
    "value-keyword-case": null,
    "rule-empty-line-before": null,
    "comment-empty-line-before": null,
    "declaration-empty-line-before": null,
    "length-zero-no-unit": null,
    "shorthand-property-no-redundant-values": null,
    "property-no-vendor-prefix": null,
    "declaration-block-no-redundant-longhand-properties": null,
    "media-feature-range-notation": null,
    "selector-not-notation": null,
    "font-family-name-quotes": null,
    "import-notation": null,
    "keyframes-name-pattern": null,
    "custom-property-pattern": null,
    "number-max-precision": null,
    "color-hex-length": null,
    "custom-property-empty-line-before": null,
    // Flags every `:hover` after a descendant selector; the cascade here is deliberate.
    "no-descending-specificity": null,
  },
};
