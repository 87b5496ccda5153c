import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: {
    runes: true,
  },
  kit: {
    // Scripts and styles are served gzip- and brotli-compressed (written next to them at build time).
    adapter: adapter({ out: 'build', precompress: true }),
    // Every mutation is a form action. The origin check runs in hooks.server.ts (lib/server/csrf.ts):
    // it is SvelteKit's check plus the loopback aliases of a loopback origin, so the default works on
    // both http://localhost:3000 and http://127.0.0.1:3000. Its origin comes from ORIGIN or
    // PUBLIC_WEB_URL (start.js).
    csrf: { trustedOrigins: ['*'] },
    // Everything is served from this origin (no CDN, no external fonts); SvelteKit hashes its own inline script.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        // Card payments: the pay action answers a 303 to Stripe's hosted Checkout page (and the lab's
        // onboarding action to Stripe's Connect page), and browsers apply form-action to where a
        // form's answer redirects. STRIPE_CHECKOUT_ORIGIN, read when the server runs (hooks.server.ts),
        // adds another origin: the local Stripe fake of `pnpm stripe:fake` and the browser tests.
        'form-action': ['self', 'https://checkout.stripe.com', 'https://connect.stripe.com'],
        'frame-ancestors': ['none'],
        'base-uri': ['self'],
        'object-src': ['none'],
      },
    },
  },
};

export default config;
