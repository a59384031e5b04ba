/* SPDX-License-Identifier: MIT */
/* SHA-256 from libcrypto, loaded on first use (lib/sgx/sha256.c). */
#ifndef CONFMEM_SGX_SHA256_H
#define CONFMEM_SGX_SHA256_H

#include <stddef.h>

#include <openssl/evp.h>

#include "confmem/util.h"

struct sgx_sha256 {
	void *handle;
	EVP_MD_CTX *ctx;
	EVP_MD_CTX *(*ctx_new)(void);
	void (*ctx_free)(EVP_MD_CTX *ctx);
	int (*digest_init)(EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl);
	const EVP_MD *(*md_sha256)(void);
	int (*digest_update)(EVP_MD_CTX *ctx, const void *data, size_t len);
	int (*digest_final)(EVP_MD_CTX *ctx, unsigned char *md, unsigned int *len);
};

/* Load libcrypto and start a digest; -ENOENT (not installed) or -EIO with the reason in @err. */
int sgx_sha256_open(struct sgx_sha256 *s, struct cm_error *err);
void sgx_sha256_close(struct sgx_sha256 *s);

#endif /* CONFMEM_SGX_SHA256_H */
