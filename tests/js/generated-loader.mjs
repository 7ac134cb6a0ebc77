// Node's tests import the browser modules of theme/assets/calculator/ as they are. Those
// import the modules the site build generates (protocol.mjs, catalogue.mjs): this hook
// resolves them to the copies scripts/generated_assets.py wrote into $GENERATED_ASSETS
// (default: build/generated/assets/calculator).
//
//   node --import ./tests/js/generated-loader.mjs --test tests/js/
import { register } from "node:module";
import { pathToFileURL } from "node:url";

const generated = pathToFileURL(`${process.env.GENERATED_ASSETS ?? "build/generated/assets/calculator"}/`).href;

register(
  "data:text/javascript," +
    encodeURIComponent(`
      const GENERATED = ${JSON.stringify(["protocol.mjs", "catalogue.mjs"])};
      export async function resolve(specifier, context, next) {
        const name = specifier.replace(/^\\.\\//, "");
        if (specifier.startsWith("./") && GENERATED.includes(name) && context.parentURL?.includes("/theme/assets/calculator/")) {
          return next(${JSON.stringify(generated)} + name, context);
        }
        return next(specifier, context);
      }`),
);
