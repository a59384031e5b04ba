// SPDX-License-Identifier: MIT
/*
 * SHA-256 for MRENCLAVE from OpenSSL's libcrypto, loaded when a
 * measurement starts rather than linked into every command: libcrypto's
 * loading and relocation cost about as much as a whole plan of a boot log
 * (docs/fleets.md), and only `sgx measure` needs it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <string.h>

#include "sha256.h"

/* The SONAME of OpenSSL 3's libcrypto (Debian's libssl3 package). */
#define LIBCRYPTO_SONAME "libcrypto.so.3"

struct symbol {
	const char *name;
	size_t offset;
};

#define SHA256_SYMBOL(field, name) { name, offsetof(struct sgx_sha256, field) }

static const struct symbol symbols[] = {
	SHA256_SYMBOL(ctx_new, "EVP_MD_CTX_new"),
	SHA256_SYMBOL(ctx_free, "EVP_MD_CTX_free"),
	SHA256_SYMBOL(digest_init, "EVP_DigestInit_ex"),
	SHA256_SYMBOL(md_sha256, "EVP_sha256"),
	SHA256_SYMBOL(digest_update, "EVP_DigestUpdate"),
	SHA256_SYMBOL(digest_final, "EVP_DigestFinal_ex"),
};

int sgx_sha256_open(struct sgx_sha256 *s, struct cm_error *err)
{
	memset(s, 0, sizeof(*s));
	s->handle = dlopen(LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!s->handle)
		return cm_error_set(err, -ENOENT, "sgx: cannot load %s for SHA-256 (install libssl3): %s",
				    LIBCRYPTO_SONAME, dlerror());
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *address = dlsym(s->handle, symbols[i].name);

		if (!address) {
			sgx_sha256_close(s);
			return cm_error_set(err, -ENOENT, "sgx: %s has no %s", LIBCRYPTO_SONAME, symbols[i].name);
		}
		memcpy((char *)s + symbols[i].offset, &address, sizeof(address));
	}
	s->ctx = s->ctx_new();
	if (!s->ctx || !s->digest_init(s->ctx, s->md_sha256(), NULL)) {
		sgx_sha256_close(s);
		return cm_error_set(err, -EIO, "sgx: cannot start SHA-256 (libcrypto)");
	}
	return 0;
}

void sgx_sha256_close(struct sgx_sha256 *s)
{
	if (s->ctx)
		s->ctx_free(s->ctx);
	if (s->handle)
		dlclose(s->handle);
	memset(s, 0, sizeof(*s));
}
