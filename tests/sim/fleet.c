/* SPDX-License-Identifier: ISC */
/* The simulated devices: profile files, synthesized fleets, lookups. */
#include "sim.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds from 1970-01-01 to 2001-01-01, the epoch of lockdownd's backup dates. */
#define APPLE_EPOCH_OFFSET 978307200LL

static const char *const behaviour_names[BEH_COUNT] = {
    [BEH_NORMAL] = "normal",
    [BEH_NOT_PAIRED] = "not_paired",
    [BEH_TRUST_PENDING] = "trust_pending",
    [BEH_LOCKED_SINCE_BOOT] = "locked_since_boot",
    [BEH_HANG] = "hang",
    [BEH_SLOW] = "slow",
    [BEH_DROP] = "drop",
    [BEH_MALFORMED] = "malformed",
};

const char *behaviour_name(enum sim_behaviour beh)
{
	return beh < BEH_COUNT ? behaviour_names[beh] : "?";
}

int behaviour_from_name(const char *name)
{
	for (int i = 0; i < BEH_COUNT; i++)
		if (strcmp(name, behaviour_names[i]) == 0)
			return i;
	return -1;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p)
		abort();
	return p;
}

static void device_free(struct sim_device *dev)
{
	restart_cancel(dev);
	plist_free(dev->root);
	plist_free(dev->domains);
	free(dev->saved_record);
	pairing_free(dev);
	free(dev);
}

void fleet_free(struct sim_fleet *fleet)
{
	for (size_t i = 0; i < fleet->count; i++)
		device_free(fleet->devices[i]);
	free(fleet->devices);
	memset(fleet, 0, sizeof *fleet);
}

struct sim_device *fleet_by_id(struct sim_fleet *fleet, uint32_t id)
{
	if (id == 0 || id > fleet->count)
		return NULL;
	return fleet->devices[id - 1];
}

struct sim_device *fleet_by_udid(struct sim_fleet *fleet, const char *udid)
{
	for (size_t i = 0; i < fleet->count; i++)
		if (strcmp(fleet->devices[i]->udid, udid) == 0)
			return fleet->devices[i];
	return NULL;
}

static struct sim_device *fleet_append(struct sim_fleet *fleet)
{
	if (fleet->count == fleet->cap) {
		fleet->cap = fleet->cap ? fleet->cap * 2 : 64;
		fleet->devices = realloc(fleet->devices, fleet->cap * sizeof *fleet->devices);
		if (!fleet->devices)
			abort();
	}
	struct sim_device *dev = xcalloc(1, sizeof *dev);
	dev->id = (uint32_t)fleet->count + 1;
	/* Any port but lockdownd's; real devices hand out ephemeral ports too. */
	dev->service_port = (uint16_t)(49152 + dev->id % 12000);
	dev->backup_port = (uint16_t)(30000 + dev->id % 15000);
	dev->notify_port = (uint16_t)(15000 + dev->id % 15000);
	dev->restart_delay_ms = 1000;
	dev->attached = true;
	fleet->devices[fleet->count++] = dev;
	return dev;
}

plist_t fleet_domain(struct sim_device *dev, const char *domain, bool create)
{
	if (!domain || !*domain || strcmp(domain, "-") == 0 || strcmp(domain, "root") == 0)
		return dev->root;
	plist_t dict = plist_dict_get_item(dev->domains, domain);
	if (!dict && create) {
		dict = plist_new_dict();
		plist_dict_set_item(dev->domains, domain, dict);
	}
	return dict;
}

static int parse_bssid(const char *text, uint8_t out[6])
{
	unsigned b[6];
	if (sscanf(text, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)b[i];
	return 0;
}

static void set_wifi(struct sim_device *dev, const char *cls, const char *ssid, const char *bssid)
{
	snprintf(dev->wifi_class, sizeof dev->wifi_class, "%s", cls);
	snprintf(dev->ssid, sizeof dev->ssid, "%s", ssid ? ssid : "");
	memset(dev->bssid, 0, sizeof dev->bssid);
	if (bssid)
		parse_bssid(bssid, dev->bssid);
}

/* Values every device has whatever its origin. */
void fleet_finish_device(struct sim *sim, struct sim_device *dev)
{
	if (!plist_dict_get_item(dev->root, "DevicePublicKey"))
		plist_dict_set_item(dev->root, "DevicePublicKey",
		                    plist_copy(pki_device_public_key(sim->pki)));
	pairing_reset(sim, dev);
}

static int read_file(const char *path, char **data, uint32_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char *buf = NULL;
	size_t used = 0, cap = 0, n;
	do {
		if (cap - used < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		n = fread(buf + used, 1, cap - used, f);
		used += n;
	} while (n > 0 && used < SIM_MAX_FRAME);
	fclose(f);
	*data = buf;
	*len = (uint32_t)used;
	return 0;
}

static plist_t dict_or_new(plist_t profile, const char *key)
{
	plist_t node = plist_dict_get_item(profile, key);
	if (node && plist_get_node_type(node) == PLIST_DICT)
		return plist_copy(node);
	return plist_new_dict();
}

/* BackupAgeSeconds keeps a profile's last backup recent (or stale) whenever it runs. */
static void apply_backup_age(struct sim_device *dev, plist_t profile)
{
	plist_t age = plist_dict_get_item(profile, "BackupAgeSeconds");
	if (!age || plist_get_node_type(age) != PLIST_UINT)
		return;
	uint64_t seconds = 0;
	plist_get_uint_val(age, &seconds);
	int64_t when = (int64_t)time(NULL) - APPLE_EPOCH_OFFSET - (int64_t)seconds;
	plist_dict_set_item(fleet_domain(dev, "com.apple.mobile.backup", true),
	                    "LastCloudBackupDate", plist_new_uint((uint64_t)when));
}

static void apply_profile(struct sim_device *dev, plist_t profile)
{
	plist_free(dev->root);
	plist_free(dev->domains);
	dev->root = dict_or_new(profile, "Root");
	dev->domains = dict_or_new(profile, "Domains");
	plist_t wifi = plist_dict_get_item(profile, "WiFi");
	const char *cls = plist_str(wifi, "Class");
	set_wifi(dev, cls ? cls : "AppleBCMWLANSkywalkInterface", plist_str(wifi, "SSID"),
	         plist_str(wifi, "BSSID"));
	const char *beh = plist_str(profile, "Behaviour");
	int b = beh ? behaviour_from_name(beh) : BEH_NORMAL;
	dev->behaviour = b < 0 ? BEH_NORMAL : (enum sim_behaviour)b;
	uint64_t arg = 0;
	plist_t argnode = plist_dict_get_item(profile, "BehaviourArg");
	if (argnode && plist_get_node_type(argnode) == PLIST_UINT)
		plist_get_uint_val(argnode, &arg);
	dev->behaviour_arg = (unsigned)arg;
	const char *format = plist_str(profile, "ReplyFormat");
	dev->binary_replies = format && strcmp(format, "binary") == 0;
	const char *cloud = plist_str(profile, "CloudBackup");
	int refusal = cloud ? refusal_from_name(cloud) : REFUSE_NONE;
	dev->refusal = refusal < 0 ? REFUSE_NONE : (enum backup_refusal)refusal;
	plist_t delay = plist_dict_get_item(profile, "RestartDelayMs");
	if (delay && plist_get_node_type(delay) == PLIST_UINT) {
		uint64_t raw = 0;
		plist_get_uint_val(delay, &raw);
		int64_t ms = (int64_t)raw; /* libplist 2.2 keeps <integer>-1</integer> as a uint */
		dev->restart_delay_ms = ms > 600000 ? 600000 : ms < 0 ? -1 : (int)ms;
	}
	plist_t att = plist_dict_get_item(profile, "Attached");
	uint8_t attached = 1;
	if (att && plist_get_node_type(att) == PLIST_BOOLEAN)
		plist_get_bool_val(att, &attached);
	dev->attached = attached;
	apply_backup_age(dev, profile);
	pairing_apply_profile(dev, profile);
}

/* Loads a profile; a UDID already in the fleet is updated in place. The caller finishes it
 * with fleet_finish_device. */
struct sim_device *fleet_load_profile(struct sim_fleet *fleet, const char *path, char *err,
                                      size_t errlen)
{
	char *data = NULL;
	uint32_t len = 0;
	if (read_file(path, &data, &len) < 0) {
		snprintf(err, errlen, "cannot read %s", path);
		return NULL;
	}
	plist_t profile = NULL;
	plist_from_memory(data, len, &profile);
	free(data);
	const char *udid = plist_str(plist_dict_get_item(profile, "Root"), "UniqueDeviceID");
	if (!profile || plist_get_node_type(profile) != PLIST_DICT || !udid || !*udid ||
	    strlen(udid) >= sizeof((struct sim_device *)0)->udid) {
		snprintf(err, errlen, "%s: not a profile (needs Root.UniqueDeviceID)", path);
		plist_free(profile);
		return NULL;
	}
	struct sim_device *dev = fleet_by_udid(fleet, udid);
	if (!dev) {
		dev = fleet_append(fleet);
		snprintf(dev->udid, sizeof dev->udid, "%s", udid);
	}
	apply_profile(dev, profile);
	plist_free(profile);
	return dev;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int fleet_load_dir(struct sim_fleet *fleet, const char *dir)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, by_name);
	if (n < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(names[i]->d_name);
		if (l > 6 && strcmp(names[i]->d_name + l - 6, ".plist") == 0) {
			char path[4096], err[256];
			snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
			if (!fleet_load_profile(fleet, path, err, sizeof err)) {
				fprintf(stderr, "idevice-sim: %s\n", err);
				rc = -1;
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* ---- synthesis ---- */

static uint64_t next_random(uint64_t *state) /* splitmix64: tiny, deterministic */
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned pick(uint64_t *state, unsigned n)
{
	return (unsigned)(next_random(state) % n);
}

struct model {
	const char *product_type, *hardware_model, *version, *build;
	unsigned chip_id; /* 0: pre-2018 device with a 40-hex UDID */
	uint64_t capacity;
};

static const struct model models[] = {
    {"iPhone7,2", "N61AP", "12.5.7", "16H81", 0, 16000000000ULL},
    {"iPhone9,3", "D101AP", "15.8.2", "19H384", 0, 32000000000ULL},
    {"iPhone10,6", "D221AP", "16.7.8", "20H343", 0, 64000000000ULL},
    {"iPhone11,8", "N841AP", "17.5.1", "21F90", 0x8020, 64000000000ULL},
    {"iPhone12,1", "N104AP", "17.6.1", "21G93", 0x8030, 128000000000ULL},
    {"iPhone13,2", "D53gAP", "18.1", "22B83", 0x8101, 128000000000ULL},
    {"iPhone14,5", "D17AP", "18.1", "22B83", 0x8110, 256000000000ULL},
    {"iPhone15,2", "D73AP", "17.5.1", "21F90", 0x8120, 256000000000ULL},
    {"iPhone16,1", "D83AP", "18.1", "22B83", 0x8130, 512000000000ULL},
};

/* Synthesized devices fail preconditions, never sessions: every one answers ideviceinfo.
 * Pairing and wire behaviours come from profiles or the control socket. */
enum synth_state {
	ST_HEALTHY,
	ST_BACKUP_OFF,
	ST_UNLOCKED,
	ST_NO_POWER,
	ST_NOT_CHARGING,
	ST_NO_WIFI,
	ST_LARGE_DATA,
	ST_NEVER_BACKED_UP,
	ST_STALE_BACKUP,
	ST_COUNT
};

static enum synth_state pick_state(uint64_t *rng)
{
	unsigned r = pick(rng, 100);
	if (r < 70)
		return ST_HEALTHY;
	return (enum synth_state)(1 + (r - 70) % (ST_COUNT - 1));
}

static void make_udid(struct sim_device *dev, const struct model *m, uint64_t *rng)
{
	if (m->chip_id) {
		snprintf(dev->udid, sizeof dev->udid, "%08X-%016llX", m->chip_id,
		         (unsigned long long)next_random(rng));
		return;
	}
	for (int i = 0; i < 40; i++)
		dev->udid[i] = "0123456789abcdef"[pick(rng, 16)];
	dev->udid[40] = '\0';
}

static void put_bool(plist_t d, const char *k, bool v)
{
	plist_dict_set_item(d, k, plist_new_bool(v));
}

static void put_int(plist_t d, const char *k, uint64_t v)
{
	plist_dict_set_item(d, k, plist_new_uint(v));
}

static void put_str(plist_t d, const char *k, const char *v)
{
	plist_dict_set_item(d, k, plist_new_string(v));
}

static void synth_root(struct sim_device *dev, const struct model *m, unsigned n, uint64_t *rng,
                       enum synth_state st)
{
	char buf[64];
	plist_t r = dev->root = plist_new_dict();
	put_str(r, "UniqueDeviceID", dev->udid);
	snprintf(buf, sizeof buf, "Sim iPhone %u", n);
	put_str(r, "DeviceName", buf);
	put_str(r, "DeviceClass", "iPhone");
	put_str(r, "ProductType", m->product_type);
	put_str(r, "HardwareModel", m->hardware_model);
	put_str(r, "ProductName", "iPhone OS");
	put_str(r, "ProductVersion", m->version);
	put_str(r, "BuildVersion", m->build);
	put_str(r, "CPUArchitecture", "arm64");
	put_str(r, "ActivationState", "Activated");
	snprintf(buf, sizeof buf, "F%010llX",
	         (unsigned long long)(next_random(rng) & 0xffffffffffULL));
	put_str(r, "SerialNumber", buf);
	put_int(r, "UniqueChipID", next_random(rng) >> 12);
	snprintf(buf, sizeof buf, "a4:83:e7:%02x:%02x:%02x", pick(rng, 256), pick(rng, 256),
	         pick(rng, 256));
	put_str(r, "WiFiAddress", buf);
	put_str(r, "TimeZone", "Europe/Paris");
	put_bool(r, "PasswordProtected", st != ST_UNLOCKED);
}

static void synth_backup(plist_t d, uint64_t *rng, enum synth_state st, int64_t now_apple)
{
	put_bool(d, "CloudBackupEnabled", st != ST_BACKUP_OFF);
	if (st != ST_BACKUP_OFF && st != ST_NEVER_BACKED_UP) {
		int64_t age = st == ST_STALE_BACKUP ? 86400LL * (8 + pick(rng, 60))
		                                    : 3600LL * (1 + pick(rng, 22));
		put_int(d, "LastCloudBackupDate", (uint64_t)(now_apple - age));
		put_str(d, "LastCloudBackupTZ", "GMT+1");
	}
	put_bool(d, "WillEncrypt", false);
	put_bool(d, "RequiresEncryption", false);
}

static void synth_battery(plist_t d, uint64_t *rng, enum synth_state st)
{
	unsigned level = 20 + pick(rng, 81);
	bool power = st != ST_NO_POWER;
	bool full = power && level == 100;
	put_int(d, "BatteryCurrentCapacity", level);
	put_bool(d, "ExternalConnected", power);
	put_bool(d, "ExternalChargeCapable", power);
	put_bool(d, "BatteryIsCharging", power && !full && st != ST_NOT_CHARGING);
	put_bool(d, "FullyCharged", full);
	put_bool(d, "HasBattery", true);
	put_bool(d, "GasGaugeCapability", true);
}

static void synth_disk(plist_t d, const struct model *m, uint64_t *rng, enum synth_state st)
{
	uint64_t total = m->capacity, system = 12000000000ULL;
	uint64_t data = total - system;
	unsigned used_pct = st == ST_LARGE_DATA ? 80 + pick(rng, 15) : 3 + pick(rng, 10);
	uint64_t avail = data / 100 * (100 - used_pct);
	put_int(d, "TotalDiskCapacity", total);
	put_int(d, "TotalSystemCapacity", system);
	put_int(d, "TotalSystemAvailable", 1200000000ULL);
	put_int(d, "TotalDataCapacity", data);
	put_int(d, "TotalDataAvailable", avail);
	put_int(d, "AmountDataAvailable", avail > 200000000ULL ? avail - 200000000ULL : 0);
	put_int(d, "AmountDataReserved", 200000000ULL);
}

static void synth_one(struct sim_device *dev, unsigned n, uint64_t *rng, int64_t now_apple)
{
	const struct model *m = &models[pick(rng, sizeof models / sizeof models[0])];
	enum synth_state st = pick_state(rng);
	make_udid(dev, m, rng);
	synth_root(dev, m, n, rng, st);
	dev->domains = plist_new_dict();
	synth_backup(fleet_domain(dev, "com.apple.mobile.backup", true), rng, st, now_apple);
	synth_battery(fleet_domain(dev, "com.apple.mobile.battery", true), rng, st);
	synth_disk(fleet_domain(dev, "com.apple.disk_usage", true), m, rng, st);
	/* Apple moved the Wi-Fi interface to the Skywalk driver with iOS 16. */
	const char *cls =
	    atoi(m->version) >= 16 ? "AppleBCMWLANSkywalkInterface" : "IO80211Interface";
	char bssid[24];
	snprintf(bssid, sizeof bssid, "2c:3a:fd:%02x:%02x:%02x", pick(rng, 256), pick(rng, 256),
	         pick(rng, 256));
	if (st == ST_NO_WIFI)
		set_wifi(dev, cls, "", NULL);
	else
		set_wifi(dev, cls, pick(rng, 2) ? "SimNet" : "SimNet-5G", bssid);
}

void fleet_synthesize(struct sim_fleet *fleet, unsigned count, uint64_t seed)
{
	uint64_t rng = seed;
	int64_t now_apple = (int64_t)time(NULL) - APPLE_EPOCH_OFFSET;
	for (unsigned i = 0; i < count; i++)
		synth_one(fleet_append(fleet), i + 1, &rng, now_apple);
}
