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
        // Card payments: the pay action answers a 303 to Stripe's hosted Checkout page, and browsers
        // apply form-action to where a form's answer redirects. STRIPE_CHECKOUT_ORIGIN (read at build)
        // adds another origin, e.g. the tests' local fake; or start checkout from a plain link, which
        // form-action does not govern.
        'form-action': [
          'self',
          'https://checkout.stripe.com',
          ...(process.env.STRIPE_CHECKOUT_ORIGIN ? [process.env.STRIPE_CHECKOUT_ORIGIN] : []),
        ],
        'frame-ancestors': ['none'],
        'base-uri': ['self'],
        'object-src': ['none'],
      },
    },
  },
};

export default config;
