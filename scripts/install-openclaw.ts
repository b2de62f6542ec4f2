// `npm run openclaw:install`: the pinned OpenClaw release from the npm registry, into the cache (once per version).
import { ensureOpenclaw } from "../components/openclaw/install.js";

console.log(ensureOpenclaw().packageDir);
