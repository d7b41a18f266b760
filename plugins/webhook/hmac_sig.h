/* plugins/webhook/hmac_sig.h — the webhook's signature: HMAC-SHA256 of
 * the body with the shared secret, as lower-case hex (64 characters). */
#ifndef SDP_HMAC_SIG_H
#define SDP_HMAC_SIG_H

#include <stddef.h>

/* hex must hold 65 bytes. 0, or -1 when OpenSSL fails. */
int webhook_sign(const void *key, size_t keylen, const void *body, size_t len, char hex[65]);

#endif
