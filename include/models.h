/* SPDX-License-Identifier: ISC */
/* Marketing names of Apple devices, from their ProductType. */
#ifndef BACKUPD_MODELS_H
#define BACKUPD_MODELS_H

/* "iPhone14,5" -> "iPhone 13"; an unknown ProductType is returned as given. */
const char *model_name(const char *product_type);

#endif
