// Runtime entry of the component package for Pulumi's plugin launcher (@pulumi/pulumi cmd/run-plugin, what
// `pulumi package add`/`get-schema` and every consuming program start). The launcher always registers its
// vendored ts-node (TypeScript 3.8) for `.ts` files, which cannot compile this project's TypeScript; tsx
// loads index.ts instead, in its own namespace. The schema analyzer maps `main: index.js` to index.ts.
import { require as tsxRequire } from "tsx/cjs/api";

const component = tsxRequire("./index.ts", import.meta.url);

export const Gateway = component.Gateway;
