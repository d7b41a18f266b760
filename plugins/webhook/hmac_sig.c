/* plugins/webhook/hmac_sig.c — see hmac_sig.h (OpenSSL's HMAC). */
#include "plugins/webhook/hmac_sig.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

int webhook_sign(const void *key, size_t keylen, const void *body, size_t len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	if (!HMAC(EVP_sha256(), key, (int)keylen, body, len, md, &mdlen) || mdlen != 32)
		return -1;
	for (i = 0; i < mdlen; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = 0;
	return 0;
}
