import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: {
    runes: true,
  },
  kit: {
    adapter: adapter({ out: 'build', precompress: false }),
    // Every mutation is a form action; SvelteKit's origin check stays on (ORIGIN is set in production).
    csrf: { trustedOrigins: [] },
  },
};

export default config;
