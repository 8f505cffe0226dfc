/* bizsos command line: init | serve | user | token | demo | backup | restore | audit. */
#include "bizsos/app.h"
#include "bizsos/backup.h"
#include "bizsos/privacy.h"
#include "bizsos/demo.h"
#include "bizsos/jobs.h"
#include "bizsos/kst.h"
#include "bizsos/maintenance.h"
#include "bizsos/notify.h"
#include "bizsos/result_notice.h"
#include "bizsos/user.h"
#include "bizsos/web.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <sqlite3.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "bizsos " BIZSOS_VERSION " — 기업SOS\n"
    "\n"
    "usage:\n"
    "  bizsos init  --db PATH\n"
    "  bizsos serve --db PATH [--listen HOST:PORT] [--threads N] [--tls-cert F --tls-key F]\n"
    "               [--dev] [--config F] [--templates DIR] [--static DIR] [--data-dir DIR]\n"
    "  bizsos user add     --db PATH --login L --name N --role R [--department D] "
    "--password-stdin\n"
    "  bizsos user passwd  --db PATH --login L --password-stdin\n"
    "  bizsos user disable --db PATH --login L\n"
    "  bizsos user enable  --db PATH --login L\n"
    "  bizsos token create --db PATH --login L [--label T] [--read-only]\n"
    "  bizsos token list   --db PATH [--login L]\n"
    "  bizsos token revoke --db PATH (--id N | --login L --all)\n"
    "  bizsos demo  --db PATH [--scale N] [--data-dir DIR]\n"
    "  bizsos backup  (--db PATH | --config F) --to FILE [--data-dir DIR]  (while serving)\n"
    "  bizsos restore --from FILE (--db PATH | --config F) [--data-dir DIR] (daemon stopped)\n"
    "  bizsos audit verify --db PATH\n"
    "\n"
    "roles: staff (주무관), leader (팀장), executive (과장), department (유관부서), admin "
    "(관리자)\n"
    "settings also come from --config FILE (key = value) and BIZSOS_* environment variables;\n"
    "flags win. See README.md.\n";

static int usage(const char *problem)
{
	if (problem)
		fprintf(stderr, "bizsos: %s\n\n", problem);
	fputs(usage_text, stderr);
	return 2;
}

/* Options shared by the subcommands; each subcommand says which it takes. */
struct opts {
	const char *db, *login, *name, *role, *department, *label, *config, *scale, *to, *from, *id;
	bool password_stdin, read_only, all;
};

enum opt_id {
	O_DB = 1000,
	O_LOGIN,
	O_NAME,
	O_ROLE,
	O_DEPARTMENT,
	O_LABEL,
	O_PASSWORD_STDIN,
	O_CONFIG,
	O_LISTEN,
	O_THREADS,
	O_TLS_CERT,
	O_TLS_KEY,
	O_DEV,
	O_TEMPLATES,
	O_STATIC,
	O_DATA_DIR,
	O_HELP,
	O_SCALE,
	O_TO,
	O_FROM,
	O_ID,
	O_READ_ONLY,
	O_ALL,
};

static const struct option long_opts[] = {
    {"db", required_argument, NULL, O_DB},
    {"login", required_argument, NULL, O_LOGIN},
    {"name", required_argument, NULL, O_NAME},
    {"role", required_argument, NULL, O_ROLE},
    {"department", required_argument, NULL, O_DEPARTMENT},
    {"label", required_argument, NULL, O_LABEL},
    {"password-stdin", no_argument, NULL, O_PASSWORD_STDIN},
    {"config", required_argument, NULL, O_CONFIG},
    {"listen", required_argument, NULL, O_LISTEN},
    {"threads", required_argument, NULL, O_THREADS},
    {"tls-cert", required_argument, NULL, O_TLS_CERT},
    {"tls-key", required_argument, NULL, O_TLS_KEY},
    {"dev", no_argument, NULL, O_DEV},
    {"templates", required_argument, NULL, O_TEMPLATES},
    {"static", required_argument, NULL, O_STATIC},
    {"data-dir", required_argument, NULL, O_DATA_DIR},
    {"help", no_argument, NULL, O_HELP},
    {"scale", required_argument, NULL, O_SCALE},
    {"to", required_argument, NULL, O_TO},
    {"from", required_argument, NULL, O_FROM},
    {"id", required_argument, NULL, O_ID},
    {"read-only", no_argument, NULL, O_READ_ONLY},
    {"all", no_argument, NULL, O_ALL},
    {NULL, 0, NULL, 0},
};

/* Flags that are serve settings, applied after the config file and environment. */
struct pending {
	const char *key;
	const char *value;
};

static int parse_opts(int argc, char **argv, unsigned allowed, struct opts *o, struct pending *pend,
                      size_t *npend)
{
	memset(o, 0, sizeof(*o));
	*npend = 0;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			char msg[160];
			snprintf(msg, sizeof(msg), "unknown option or missing value: %s",
			         argv[optind - 1]);
			return usage(msg);
		}
		if (c == O_HELP)
			return usage(NULL);
		if (!(allowed & (1u << (c - O_DB)))) {
			char msg[160];
			snprintf(msg, sizeof(msg), "option %s does not apply to \"%s\"",
			         argv[optind - 1], argv[0]);
			return usage(msg);
		}
		switch (c) {
		case O_DB:
			o->db = optarg;
			break;
		case O_LOGIN:
			o->login = optarg;
			break;
		case O_NAME:
			o->name = optarg;
			break;
		case O_ROLE:
			o->role = optarg;
			break;
		case O_DEPARTMENT:
			o->department = optarg;
			break;
		case O_LABEL:
			o->label = optarg;
			break;
		case O_PASSWORD_STDIN:
			o->password_stdin = true;
			break;
		case O_CONFIG:
			o->config = optarg;
			break;
		case O_SCALE:
			o->scale = optarg;
			break;
		case O_TO:
			o->to = optarg;
			break;
		case O_FROM:
			o->from = optarg;
			break;
		case O_ID:
			o->id = optarg;
			break;
		case O_READ_ONLY:
			o->read_only = true;
			break;
		case O_ALL:
			o->all = true;
			break;
		default: {
			static const char *const keys[] = {
			    [O_LISTEN - O_LISTEN] = "listen",
			    [O_THREADS - O_LISTEN] = "threads",
			    [O_TLS_CERT - O_LISTEN] = "tls_cert",
			    [O_TLS_KEY - O_LISTEN] = "tls_key",
			    [O_DEV - O_LISTEN] = "dev",
			    [O_TEMPLATES - O_LISTEN] = "templates",
			    [O_STATIC - O_LISTEN] = "static",
			    [O_DATA_DIR - O_LISTEN] = "data_dir",
			};
			pend[*npend].key = keys[c - O_LISTEN];
			pend[*npend].value = c == O_DEV ? "true" : optarg;
			(*npend)++;
		}
		}
	}
	if (optind < argc) {
		char msg[160];
		snprintf(msg, sizeof(msg), "unexpected argument: %s", argv[optind]);
		return usage(msg);
	}
	return 0;
}

#define BIT(o) (1u << ((o)-O_DB))

static int need(const char *value, const char *flag)
{
	if (value && *value)
		return 0;
	char msg[96];
	snprintf(msg, sizeof(msg), "%s is required", flag);
	return usage(msg);
}

/* Reads one line (the password) from stdin, without the newline. */
static bool read_password(char *out, size_t outlen)
{
	if (fgets(out, (int)outlen, stdin) == NULL)
		return false;
	size_t n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return n > 0;
}

static int open_db(const char *path, bool create, struct db **db)
{
	char err[512];
	if (db_open(path, create, db, err, sizeof(err)) != BZ_OK) {
		fprintf(stderr, "bizsos: %s\n", err);
		return 1;
	}
	if (db_migrate(*db, err, sizeof(err)) != BZ_OK) {
		fprintf(stderr, "bizsos: %s\n", err);
		db_close(*db);
		return 1;
	}
	return 0;
}

static int cmd_init(int argc, char **argv)
{
	struct opts o;
	struct pending pend[16];
	size_t np;
	int rc = parse_opts(argc, argv, BIT(O_DB), &o, pend, &np);
	if (rc || (rc = need(o.db, "--db")))
		return rc;
	struct db *db;
	if ((rc = open_db(o.db, true, &db)))
		return rc;
	/* The query planner's statistics (sqlite_stat1): without them SQLite
	 * guesses that an equality on any indexed column is selective, and on a
	 * large database picks the status index (six values) over the closing
	 * date's or the open cases' (docs/benchmarks.md). Refreshed daily by the
	 * maintenance thread's PRAGMA optimize. */
	if (db_exec(db, "ANALYZE") != BZ_OK)
		fprintf(stderr, "bizsos: ANALYZE failed (the database works, only slower)\n");
	printf("database %s is at schema version %d\n", o.db, db_schema_version(db));
	db_close(db);
	return 0;
}

static int cmd_user(int argc, char **argv)
{
	if (argc < 2)
		return usage("user needs a subcommand: add, passwd, disable or enable");
	const char *sub = argv[1];
	struct opts o;
	struct pending pend[16];
	size_t np;
	unsigned allowed = BIT(O_DB) | BIT(O_LOGIN);
	if (strcmp(sub, "add") == 0)
		allowed |= BIT(O_NAME) | BIT(O_ROLE) | BIT(O_DEPARTMENT) | BIT(O_PASSWORD_STDIN);
	else if (strcmp(sub, "passwd") == 0)
		allowed |= BIT(O_PASSWORD_STDIN);
	else if (strcmp(sub, "disable") && strcmp(sub, "enable"))
		return usage("user subcommands are add, passwd, disable and enable");
	int rc = parse_opts(argc - 1, argv + 1, allowed, &o, pend, &np);
	if (rc || (rc = need(o.db, "--db")) || (rc = need(o.login, "--login")))
		return rc;

	int role = 0;
	if (strcmp(sub, "add") == 0) {
		if ((rc = need(o.name, "--name")) || (rc = need(o.role, "--role")))
			return rc;
		role = role_from_name(o.role);
		if (role == 0)
			return usage(
			    "--role must be staff, leader, executive, department or admin");
	}
	char pw[256] = "";
	if (strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0) {
		if (!o.password_stdin)
			return usage("--password-stdin is required: the password is read from "
			             "standard input, never from the command line");
		if (!read_password(pw, sizeof(pw))) {
			fprintf(stderr, "bizsos: no password on standard input\n");
			return 2;
		}
	}
	struct db *db;
	if ((rc = open_db(o.db, false, &db)))
		return rc;
	char msg[256] = "";
	bz_rc r;
	if (strcmp(sub, "add") == 0)
		r = user_add(db, 0, o.login, o.name, role, o.department, pw, NULL, msg,
		             sizeof(msg));
	else if (strcmp(sub, "passwd") == 0)
		r = user_set_password(db, 0, o.login, pw, msg, sizeof(msg));
	else
		r = user_set_disabled(db, 0, o.login, strcmp(sub, "disable") == 0);
	sodium_memzero(pw, sizeof(pw));
	db_close(db);
	if (r == BZ_ERR_CONSTRAINT) {
		fprintf(stderr, "bizsos: login \"%s\" already exists\n", o.login);
		return 1;
	}
	if (r == BZ_ERR_NOTFOUND) {
		fprintf(stderr, "bizsos: no user with login \"%s\"\n", o.login);
		return 1;
	}
	if (r != BZ_OK) {
		fprintf(stderr, "bizsos: %s\n", msg[0] ? msg : bz_strerror(r));
		return 1;
	}
	printf("user %s: %s done\n", o.login, sub);
	return 0;
}

static int token_cli_list(const struct opts *o, struct db *db)
{
	int64_t uid = 0;
	struct user u;
	if (o->login) {
		if (user_by_login(db, o->login, &u) != BZ_OK) {
			fprintf(stderr, "bizsos: no such user \"%s\"\n", o->login);
			return 1;
		}
		uid = u.id;
	}
	json_t *list = NULL;
	if (token_list(db, uid, &list) != BZ_OK) {
		fprintf(stderr, "bizsos: cannot list tokens\n");
		return 1;
	}
	printf("%-6s %-20s %-6s %-21s %-21s %-21s %s\n", "id", "login", "scope", "created",
	       "last used", "revoked", "label");
	size_t i;
	json_t *t;
	json_array_foreach(list, i, t)
	{
		const char *label = json_string_value(json_object_get(t, "label"));
		const char *used = json_string_value(json_object_get(t, "last_used_at"));
		const char *rev = json_string_value(json_object_get(t, "revoked_at"));
		printf("%-6lld %-20s %-6s %-21s %-21s %-21s %s\n",
		       (long long)json_integer_value(json_object_get(t, "id")),
		       json_string_value(json_object_get(t, "login")),
		       json_string_value(json_object_get(t, "scope")),
		       json_string_value(json_object_get(t, "created_at")), used ? used : "-",
		       rev ? rev : "-", label ? label : "");
	}
	json_decref(list);
	return 0;
}

static int token_cli_revoke(const struct opts *o, struct db *db)
{
	if (o->id && !o->login && !o->all) {
		char *end = NULL;
		long long id = strtoll(o->id, &end, 10);
		if (end == o->id || *end || id <= 0)
			return usage("--id must be a token id (see `bizsos token list`)");
		bz_rc r = token_revoke(db, 0, id);
		if (r != BZ_OK) {
			fprintf(stderr, "bizsos: cannot revoke token %lld: %s\n", id,
			        r == BZ_ERR_NOTFOUND ? "no such live token" : bz_strerror(r));
			return 1;
		}
		printf("revoked token %lld\n", id);
		return 0;
	}
	if (o->login && o->all && !o->id) {
		int n = 0;
		bz_rc r = token_revoke_all(db, 0, o->login, &n);
		if (r != BZ_OK) {
			fprintf(stderr, "bizsos: cannot revoke the tokens of \"%s\": %s\n",
			        o->login, r == BZ_ERR_NOTFOUND ? "no such user" : bz_strerror(r));
			return 1;
		}
		printf("revoked %d token(s) of %s\n", n, o->login);
		return 0;
	}
	return usage("token revoke needs --id N, or --login L --all");
}

static int cmd_token(int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";
	bool create = strcmp(sub, "create") == 0, list = strcmp(sub, "list") == 0,
	     revoke = strcmp(sub, "revoke") == 0;
	if (!create && !list && !revoke)
		return usage("token needs the subcommand create, list or revoke");
	struct opts o;
	struct pending pend[16];
	size_t np;
	unsigned allowed = create ? BIT(O_DB) | BIT(O_LOGIN) | BIT(O_LABEL) | BIT(O_READ_ONLY)
	                   : list ? BIT(O_DB) | BIT(O_LOGIN)
	                          : BIT(O_DB) | BIT(O_LOGIN) | BIT(O_ID) | BIT(O_ALL);
	int rc = parse_opts(argc - 1, argv + 1, allowed, &o, pend, &np);
	if (rc || (rc = need(o.db, "--db")) || (create && (rc = need(o.login, "--login"))))
		return rc;
	struct db *db;
	if ((rc = open_db(o.db, false, &db)))
		return rc;
	if (list || revoke) {
		rc = list ? token_cli_list(&o, db) : token_cli_revoke(&o, db);
		db_close(db);
		return rc;
	}
	char token[SESSION_TOKEN_LEN + 8];
	bz_rc r = token_create_scoped(db, 0, o.login, o.label ? o.label : "", o.read_only, token);
	db_close(db);
	if (r != BZ_OK) {
		fprintf(stderr, "bizsos: cannot create a token for \"%s\": %s\n", o.login,
		        r == BZ_ERR_NOTFOUND ? "no such user" : bz_strerror(r));
		return 1;
	}
	printf("%s\n", token);
	return 0;
}

/* A random password that satisfies the rule: 16 characters of 4 kinds. */
static void demo_password(char *out, size_t outlen)
{
	static const char *const kinds[] = {"abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ",
	                                    "23456789"};
	size_t n = outlen - 1 < 16 ? outlen - 1 : 16;
	/* Every character from one of three kinds, each kind used at least once
	 * (positions 0..2 of a random rotation), so the password rule holds. */
	uint32_t shift = randombytes_uniform((uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		size_t k = i < 3 ? i : randombytes_uniform(3);
		const char *set = kinds[k];
		out[(i + shift) % n] = set[randombytes_uniform((uint32_t)strlen(set))];
	}
	out[n] = '\0';
}

static int cmd_demo(int argc, char **argv)
{
	struct opts o;
	struct pending pend[16];
	size_t np;
	int rc = parse_opts(argc, argv, BIT(O_DB) | BIT(O_SCALE) | BIT(O_DATA_DIR), &o, pend, &np);
	if (rc || (rc = need(o.db, "--db")))
		return rc;
	char data_dir[4200];
	const char *dd = NULL;
	for (size_t i = 0; i < np; i++)
		if (strcmp(pend[i].key, "data_dir") == 0)
			dd = pend[i].value;
	if (dd)
		bz_strlcpy(data_dir, dd, sizeof(data_dir));
	else /* as serve does */
		snprintf(data_dir, sizeof(data_dir), "%.4000s.files", o.db);
	long scale = 1;
	if (o.scale) {
		char *end;
		scale = strtol(o.scale, &end, 10);
		if (*end || end == o.scale || scale < 1 || scale > DEMO_SCALE_MAX) {
			char m[80];
			snprintf(m, sizeof(m), "--scale must be a whole number from 1 to %d",
			         DEMO_SCALE_MAX);
			return usage(m);
		}
	}
	struct stat st;
	if (stat(o.db, &st) == 0) {
		fprintf(stderr, "bizsos: %s already exists; demo creates a new database\n", o.db);
		return 1;
	}
	struct db *db;
	if ((rc = open_db(o.db, true, &db)))
		return rc;
	static const struct {
		const char *login, *name, *role, *dept;
	} demo_users[] = {
	    {"staff", "이수연", "staff", "기업경제과"},
	    {"leader", "최성근", "leader", "기업경제과"},
	    {"executive", "이주빈", "executive", "기업경제과"},
	    {"department", "박협조", "department", "건축과"},
	    {"admin", "관리자", "admin", "기업경제과"},
	};
	printf("demo database: %s\n\n  %-11s %-10s %s\n", o.db, "login", "role", "password");
	for (size_t i = 0; i < BZ_ARRAY_LEN(demo_users); i++) {
		char pw[24], msg[256] = "";
		demo_password(pw, sizeof(pw));
		bz_rc r = user_add(db, 0, demo_users[i].login, demo_users[i].name,
		                   role_from_name(demo_users[i].role), demo_users[i].dept, pw, NULL,
		                   msg, sizeof(msg));
		if (r != BZ_OK) {
			fprintf(stderr, "bizsos: demo user %s: %s\n", demo_users[i].login,
			        msg[0] ? msg : bz_strerror(r));
			db_close(db);
			return 1;
		}
		printf("  %-11s %-10s %s\n", demo_users[i].login, demo_users[i].role, pw);
	}
	printf("\nThe passwords are shown only now. Reset one with: bizsos user passwd --db %s "
	       "--login LOGIN --password-stdin\n",
	       o.db);
	struct demo_stats ds;
	bz_rc dr = demo_generate(db, (int)scale, &ds);
	if (dr != BZ_OK) {
		fprintf(stderr, "bizsos: demo data: %s\n", bz_strerror(dr));
		db_close(db);
		return 1;
	}
	char today[DATE_TEXT_SIZE];
	kst_today(today);
	int64_t photos = 0;
	if ((dr = demo_photos(db, data_dir, today, &photos)) != BZ_OK) {
		fprintf(stderr, "bizsos: demo photos: %s\n", bz_strerror(dr));
		db_close(db);
		return 1;
	}
	printf("\ndemo records (scale %ld): %lld companies, %lld activities (%lld letters), "
	       "%lld cases, %lld grants, %lld communication entries, %lld budget lines, "
	       "%lld execution entries\n",
	       scale, (long long)ds.companies, (long long)ds.activities, (long long)ds.letters,
	       (long long)ds.cases, (long long)ds.grants, (long long)ds.comm_entries,
	       (long long)ds.budget_lines, (long long)ds.executions);
	printf("demo photos: %lld in %s\n", (long long)photos, data_dir);
	db_close(db);
	return 0;
}

/* The database and data folder for backup/restore: --db and --data-dir, else
 * from --config FILE (db, data_dir), else "<db>.files" (as serve does).
 * Returns 0 or the exit status of a usage error. */
static int db_and_data_dir(const struct opts *o, const struct pending *pend, size_t np,
                           struct config *cfg)
{
	char err[512];
	config_defaults(cfg);
	if (o->config && config_load_file(cfg, o->config, err, sizeof(err)) != BZ_OK)
		return fprintf(stderr, "bizsos: %s\n", err), 2;
	if (o->db)
		bz_strlcpy(cfg->db, o->db, sizeof(cfg->db));
	for (size_t i = 0; i < np; i++)
		if (strcmp(pend[i].key, "data_dir") == 0)
			bz_strlcpy(cfg->data_dir, pend[i].value, sizeof(cfg->data_dir));
	if (cfg->db[0] == '\0')
		return usage("--db is required (or --config with db = ...)");
	if (cfg->data_dir[0] == '\0')
		snprintf(cfg->data_dir, sizeof(cfg->data_dir), "%.4000s.files", cfg->db);
	return 0;
}

static int cmd_backup(int argc, char **argv)
{
	struct opts o;
	struct pending pend[16];
	size_t np;
	int rc = parse_opts(argc, argv, BIT(O_DB) | BIT(O_TO) | BIT(O_DATA_DIR) | BIT(O_CONFIG), &o,
	                    pend, &np);
	if (rc || (rc = need(o.to, "--to")))
		return rc;
	static struct config cfg;
	if ((rc = db_and_data_dir(&o, pend, np, &cfg)))
		return rc;
	char err[512];
	struct backup_stats st;
	if (backup_create(cfg.db, cfg.data_dir, o.to, &st, err, sizeof(err)) != BZ_OK) {
		fprintf(stderr, "bizsos: backup failed: %s\n", err);
		return 1;
	}
	printf("backup %s: database %lld bytes, integrity ok; %lld uploaded files (%lld bytes) in "
	       "%s.files\n",
	       o.to, (long long)st.db_bytes, (long long)st.files, (long long)st.file_bytes, o.to);
	return 0;
}

static int cmd_restore(int argc, char **argv)
{
	struct opts o;
	struct pending pend[16];
	size_t np;
	int rc = parse_opts(argc, argv, BIT(O_DB) | BIT(O_FROM) | BIT(O_DATA_DIR) | BIT(O_CONFIG),
	                    &o, pend, &np);
	if (rc || (rc = need(o.from, "--from")))
		return rc;
	static struct config cfg;
	if ((rc = db_and_data_dir(&o, pend, np, &cfg)))
		return rc;
	char err[512];
	struct backup_stats st;
	if (backup_restore(o.from, cfg.db, cfg.data_dir, &st, err, sizeof(err)) != BZ_OK) {
		fprintf(stderr, "bizsos: restore refused: %s\n", err);
		return 1;
	}
	printf("restored %s from %s: integrity ok; %lld uploaded files into %s\n", cfg.db, o.from,
	       (long long)st.files, cfg.data_dir);
	return 0;
}

static int cmd_audit(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "verify") != 0)
		return usage("audit needs the subcommand verify");
	struct opts o;
	struct pending pend[16];
	size_t np;
	int rc = parse_opts(argc - 1, argv + 1, BIT(O_DB), &o, pend, &np);
	if (rc || (rc = need(o.db, "--db")))
		return rc;
	struct db *db;
	char err[512];
	if (db_open(o.db, false, &db, err, sizeof(err)) != BZ_OK) {
		fprintf(stderr, "bizsos: %s\n", err);
		return 1;
	}
	if (db_schema_version(db) < db_schema_latest() &&
	    db_migrate(db, err, sizeof(err)) != BZ_OK) {
		fprintf(stderr, "bizsos: %s\n", err);
		db_close(db);
		return 1;
	}
	struct privacy_verify_result r;
	bz_rc v = privacy_verify(db, &r);
	db_close(db);
	if (v != BZ_OK) {
		fprintf(stderr, "bizsos: cannot read the access log: %s\n", bz_strerror(v));
		return 1;
	}
	if (r.broken_id) {
		printf("access log BROKEN at row %lld: %s\n", (long long)r.broken_id, r.problem);
		return 3;
	}
	printf("access log ok: %lld rows, head row %lld hash %s\n", (long long)r.rows,
	       (long long)r.head_id, r.head_hash);
	return 0;
}

static int ensure_dir(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	fprintf(stderr, "bizsos: cannot create %s: %s\n", path, strerror(errno));
	return 1;
}

#define SERVE_SQLITE_HEAP   (24 << 20)
#define SERVE_MALLOC_ARENAS 2

static int cmd_serve(int argc, char **argv)
{
	struct opts o;
	struct pending pend[16];
	size_t np;
	unsigned allowed = BIT(O_DB) | BIT(O_CONFIG) | BIT(O_LISTEN) | BIT(O_THREADS) |
	                   BIT(O_TLS_CERT) | BIT(O_TLS_KEY) | BIT(O_DEV) | BIT(O_TEMPLATES) |
	                   BIT(O_STATIC) | BIT(O_DATA_DIR);
	int rc = parse_opts(argc, argv, allowed, &o, pend, &np);
	if (rc)
		return rc;
	static struct app app;
	char err[512];
	/* The daemon's memory (docs/benchmarks.md): SQLite's page caches of every
	 * worker connection together under one soft limit (each may hold 2 MiB
	 * otherwise, times the worker threads), and a few malloc arenas rather
	 * than one per thread, each keeping what its thread freed. The limit
	 * counts each connection's schema too (~0.3 MiB) and its statements: at
	 * 12 MiB, with 16 threads, the write batches' connection found its cache
	 * full (spilling pages into the WAL mid-transaction, reading them back)
	 * and backdated visits ran at half speed; 24 MiB keeps the peak RSS of
	 * the --scale 300 benchmark at 55 MB. */
	sqlite3_soft_heap_limit64(SERVE_SQLITE_HEAP);
	mallopt(M_ARENA_MAX, SERVE_MALLOC_ARENAS);
	config_defaults(&app.cfg);
	if (o.config && config_load_file(&app.cfg, o.config, err, sizeof(err)) != BZ_OK)
		return fprintf(stderr, "bizsos: %s\n", err), 2;
	if (config_load_env(&app.cfg, err, sizeof(err)) != BZ_OK)
		return fprintf(stderr, "bizsos: %s\n", err), 2;
	if (o.db)
		bz_strlcpy(app.cfg.db, o.db, sizeof(app.cfg.db));
	for (size_t i = 0; i < np; i++)
		if (config_set(&app.cfg, pend[i].key, pend[i].value, err, sizeof(err)) != BZ_OK)
			return usage(err);
	if (app.cfg.db[0] == '\0')
		return usage("--db is required (or db = in --config, or BIZSOS_DB)");
	if (!app.cfg.tls_cert[0] != !app.cfg.tls_key[0])
		return usage("--tls-cert and --tls-key go together");

	/* Migrate once at start; workers then open their own connections. */
	struct db *db;
	if ((rc = open_db(app.cfg.db, false, &db)))
		return rc;
	db_close(db);
	if (app.cfg.access_log[0] && !bz_access_log_open(app.cfg.access_log)) {
		fprintf(stderr, "bizsos: cannot open the access log %s: %s\n", app.cfg.access_log,
		        strerror(errno));
		return 1;
	}
	/* Held while serving: `bizsos restore` refuses a database in use. */
	int lock_fd;
	if (backup_lock(app.cfg.db, &lock_fd, err, sizeof(err)) != BZ_OK) {
		fprintf(stderr, "bizsos: %s\n", err);
		return 1;
	}

	if (app.cfg.data_dir[0] == '\0')
		snprintf(app.cfg.data_dir, sizeof(app.cfg.data_dir), "%.4000s.files", app.cfg.db);
	snprintf(app.tmp_dir, sizeof(app.tmp_dir), "%.4000s/tmp", app.cfg.data_dir);
	if (ensure_dir(app.cfg.data_dir) || ensure_dir(app.tmp_dir))
		return 1;
	if (realpath(app.cfg.static_dir, app.static_real) == NULL) {
		fprintf(stderr, "bizsos: static folder %s: %s\n", app.cfg.static_dir,
		        strerror(errno));
		return 1;
	}
	if (view_open(app.cfg.templates, app.cfg.dev, &app.view, err, sizeof(err)) != BZ_OK) {
		fprintf(stderr, "bizsos: templates: %s\n", err);
		return 1;
	}
	/* Outgoing messages: recorded always, delivered by the worker thread. */
	if (app.cfg.base_url[0] == '\0')
		snprintf(app.cfg.base_url, sizeof(app.cfg.base_url), "%s://%.200s",
		         app.cfg.tls_cert[0] ? "https" : "http", app.cfg.listen);
	notify_configure(jobs_webhook_count(&app.cfg));
	result_notice_configure(jobs_sms_on(&app.cfg), app.cfg.sms_sender);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct jobs *jobs = NULL;
	if (jobs_start(&app.cfg, web_links_message, &jobs, err, sizeof(err)) != BZ_OK) {
		fprintf(stderr, "bizsos: %s\n", err);
		view_close(app.view);
		close(lock_fd);
		return 2;
	}
	/* Scheduled backups and the access log's retention purge. */
	app.started = time(NULL);
	struct maintenance *maint = maintenance_start(&app.cfg);
	rc = server_run(&app);
	maintenance_stop(maint);
	jobs_stop(jobs);
	curl_global_cleanup();
	view_close(app.view);
	close(lock_fd);
	return rc;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "bizsos: libsodium failed to start\n");
		return 1;
	}
	if (argc < 2)
		return usage("a subcommand is required");
	const char *cmd = argv[1];
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(cmd, "user") == 0)
		return cmd_user(argc - 1, argv + 1);
	if (strcmp(cmd, "token") == 0)
		return cmd_token(argc - 1, argv + 1);
	if (strcmp(cmd, "demo") == 0)
		return cmd_demo(argc - 1, argv + 1);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(argc - 1, argv + 1);
	if (strcmp(cmd, "restore") == 0)
		return cmd_restore(argc - 1, argv + 1);
	if (strcmp(cmd, "audit") == 0)
		return cmd_audit(argc - 1, argv + 1);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("bizsos %s\n", BIZSOS_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	char msg[128];
	snprintf(msg, sizeof(msg), "unknown subcommand \"%s\"", cmd);
	return usage(msg);
}
