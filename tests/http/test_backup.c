/* Backups while the daemon serves and writes: `bizsos backup` under a steady
 * stream of acknowledged writes; `bizsos restore` into a new place holds every
 * record acknowledged before the backup began, passes the integrity check and
 * the access log's chain, and brings the uploaded files; restore refuses a
 * database in use, a file that is not a database, and a damaged backup.
 * `bizsos audit verify` names the first broken row of a tampered log. */
#include "bizsos/buf.h"
#include "harness.h"
#include "sinks.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static struct daemon d;

#define MAX_WRITES 4000
static atomic_int stop_writing;
static atomic_int acked; /* writes 1..acked were answered 303 */
static atomic_int writer_done;
static int64_t company_id;

/* Adds contacts "부하 1", "부하 2", … one after the other; acked is the last
 * one the daemon answered with 303 (saved). */
static void *writer(void *arg)
{
	(void)arg;
	struct client c;
	t_client_init(&c, &d);
	if (t_login(&c, "staff", T_PASSWORD) != 303) {
		fprintf(stderr, "writer: cannot sign in\n");
		t_client_free(&c);
		atomic_store(&writer_done, 1);
		return NULL;
	}
	char path[64];
	snprintf(path, sizeof(path), "/companies/%lld/contacts", (long long)company_id);
	for (int i = 1; i <= MAX_WRITES && !atomic_load(&stop_writing); i++) {
		char body[128];
		snprintf(body, sizeof(body),
		         "contact_name=%%EB%%B6%%80%%ED%%95%%98+%d&contact_phone=010-1234-%04d", i,
		         i);
		struct resp r;
		int st = t_post_form(&c, path, body, &r);
		t_resp_free(&r);
		if (st != 303) {
			fprintf(stderr, "writer: write %d answered %d\n", i, st);
			break;
		}
		atomic_store(&acked, i);
	}
	t_client_free(&c);
	atomic_store(&writer_done, 1);
	return NULL;
}

static void backup_under_load(void)
{
	struct client c;
	t_client_init(&c, &d);
	CHECK_INT(t_login(&c, "staff", T_PASSWORD), 303);
	struct resp r;
	CHECK_INT(t_post_form(&c, "/companies",
	                      "name=%EB%B0%B1%EC%97%85%EC%A0%95%EB%B0%80&brn=120-81-47521", &r),
	          303);
	char loc[256] = "";
	t_header(&r, "Location", loc, sizeof(loc));
	t_resp_free(&r);
	const char *slash = strrchr(loc, '/');
	company_id = slash ? strtoll(slash + 1, NULL, 10) : 0;
	CHECK(company_id > 0, "a company to add contacts to");

	/* an uploaded file in the data folder, and a temp file that is not copied */
	char files[600], f[700];
	snprintf(files, sizeof(files), "%s.files/attachments", d.db);
	mkdir(files, 0700);
	snprintf(f, sizeof(f), "%s/견적서.pdf", files);
	FILE *fp = fopen(f, "w");
	CHECK(fp != NULL, "write an upload");
	if (fp) {
		fputs("%PDF-1.4 upload", fp);
		fclose(fp);
	}

	pthread_t th;
	pthread_create(&th, NULL, writer, NULL);
	for (int i = 0; i < 1500 && atomic_load(&acked) < 30 && !atomic_load(&writer_done); i++)
		t_sleep_ms(20);
	CHECK(atomic_load(&acked) >= 30, "the writer is writing");
	int before = atomic_load(&acked);
	char bak[512];
	t_path(bak, sizeof(bak), "nightly.db");
	struct buf out;
	buf_init(&out, 0);
	CHECK_INT(t_run(NULL, &out, "backup", "--db", d.db, "--to", bak, NULL), 0);
	CHECK_CONTAINS(out.s, "integrity ok");
	buf_free(&out);
	int during = atomic_load(&acked);
	t_sleep_ms(200); /* writes go on after the backup */
	atomic_store(&stop_writing, 1);
	pthread_join(th, NULL);
	int after = atomic_load(&acked);
	fprintf(stderr, "writes acknowledged: %d before the backup, %d when it ended, %d in all\n",
	        before, during, after);
	CHECK(after > during, "writes went on after the backup (%d > %d)", after, during);
	CHECK(during >= before, "writes went on during the backup");

	/* restore into a fresh place and compare */
	char restored[512];
	t_path(restored, sizeof(restored), "restored.db");
	buf_init(&out, 0);
	CHECK_INT(t_run(NULL, &out, "restore", "--from", bak, "--db", restored, NULL), 0);
	CHECK_CONTAINS(out.s, "integrity ok");
	buf_free(&out);
	int64_t missing = 0;
	for (int i = 1; i <= before; i++) {
		char sql[160];
		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM company_contact WHERE name = '부하 %d' AND "
		         "company_id = ?1",
		         i);
		if (t_sql_num(restored, sql, company_id) != 1)
			missing++;
	}
	CHECK_INT(missing, 0);
	/* nothing that was never acknowledged: at most the writes up to the end */
	CHECK(t_sql_num(restored, "SELECT count(*) FROM company_contact WHERE company_id = ?1",
	                company_id) <= after + 1,
	      "no more records than were written");
	CHECK_INT(t_sql_num(restored,
	                    "SELECT count(*) FROM pragma_integrity_check WHERE "
	                    "integrity_check = 'ok' AND ?1",
	                    1),
	          1);
	char rf[700];
	snprintf(rf, sizeof(rf), "%s.files/attachments/견적서.pdf", restored);
	CHECK(access(rf, R_OK) == 0, "the uploaded file came back");
	snprintf(rf, sizeof(rf), "%s.files/tmp", restored);
	CHECK(access(rf, F_OK) != 0, "temp files are not backed up");
	CHECK_INT(t_run(NULL, NULL, "audit", "verify", "--db", restored, NULL), 0);

	/* the live database is in use: restore refuses and leaves it alone */
	int64_t live = t_sql_num(d.db, "SELECT count(*) FROM company_contact WHERE ?1", 1);
	CHECK(t_run(NULL, NULL, "restore", "--from", bak, "--db", d.db, NULL) != 0,
	      "restore refuses a database in use");
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM company_contact WHERE ?1", 1), live);

	/* not a database, a damaged backup, no such file: refused, target untouched */
	char junk[512];
	t_path(junk, sizeof(junk), "junk.db");
	fp = fopen(junk, "w");
	if (fp) {
		fputs("this is not a database", fp);
		fclose(fp);
	}
	CHECK(t_run(NULL, NULL, "restore", "--from", junk, "--db", restored, NULL) != 0,
	      "junk refused");
	char damaged[512];
	t_path(damaged, sizeof(damaged), "damaged.db");
	FILE *in = fopen(bak, "rb");
	FILE *o2 = fopen(damaged, "wb");
	if (in && o2) {
		char blk[4096];
		size_t n, total = 0;
		while ((n = fread(blk, 1, sizeof(blk), in)) > 0) {
			if (total >= 8192 && total < 8192 * 4)
				memset(blk, 0x5a, n); /* scribble over pages 3..8 */
			fwrite(blk, 1, n, o2);
			total += n;
		}
	}
	if (in)
		fclose(in);
	if (o2)
		fclose(o2);
	CHECK(t_run(NULL, NULL, "restore", "--from", damaged, "--db", restored, NULL) != 0,
	      "a damaged backup is refused");
	CHECK_INT(t_sql_num(restored,
	                    "SELECT count(*) FROM company_contact WHERE company_id = ?1 AND name "
	                    "LIKE '부하 %'",
	                    company_id) >= before,
	          1);
	CHECK(t_run(NULL, NULL, "restore", "--from", "/nonexistent/x.db", "--db", restored, NULL) !=
	          0,
	      "no such backup");
	t_client_free(&c);
}

static void verify_cli(void)
{
	/* a few access rows: the staff member opens the company page (contacts in full) */
	struct client c;
	t_client_init(&c, &d);
	CHECK_INT(t_login(&c, "staff", T_PASSWORD), 303);
	char path[64];
	snprintf(path, sizeof(path), "/companies/%lld", (long long)company_id);
	int64_t before = t_sql_num(d.db, "SELECT count(*) FROM privacy_access WHERE ?1", 1);
	for (int i = 0; i < 3; i++) {
		struct resp r;
		CHECK_INT(t_get(&c, path, &r), 200);
		t_resp_free(&r);
	}
	CHECK_INT(t_sql_num(d.db, "SELECT count(*) FROM privacy_access WHERE ?1", 1), before + 3);
	/* X-Forwarded-For from a client that is not the trusted proxy: ignored */
	static const char *const xff[] = {"X-Forwarded-For: 203.0.113.99", NULL};
	struct resp r2;
	CHECK_INT(t_request(&c, "GET", path, NULL, NULL, 0, xff, &r2), 200);
	t_resp_free(&r2);
	CHECK_INT(
	    t_sql_num(d.db,
	              "SELECT count(*) FROM privacy_access WHERE remote = '203.0.113.99' AND ?1",
	              1),
	    0);
	before += 1;
	t_client_free(&c);
	struct buf out;
	buf_init(&out, 0);
	CHECK_INT(t_run(NULL, &out, "audit", "verify", "--db", d.db, NULL), 0);
	CHECK_CONTAINS(out.s, "access log ok");
	buf_free(&out);

	/* the log refuses UPDATE and DELETE from any client */
	CHECK(!t_sql_try(d.db, "UPDATE privacy_access SET remote = '1.2.3.4'"), "UPDATE refused");
	CHECK(!t_sql_try(d.db, "DELETE FROM privacy_access"), "DELETE refused");

	/* tamper with a copy: the second of the three rows altered, then removed */
	char copy[512];
	t_path(copy, sizeof(copy), "tampered.db");
	CHECK_INT(t_run(NULL, NULL, "backup", "--db", d.db, "--to", copy, NULL), 0);
	int64_t second = before + 2;
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "DROP TRIGGER privacy_access_no_update; DROP TRIGGER privacy_access_no_delete;"
	         "UPDATE privacy_access SET remote = '203.0.113.9' WHERE id = %lld",
	         (long long)second);
	CHECK(t_sql_try(copy, sql), "alter a row");
	buf_init(&out, 0);
	CHECK_INT(t_run(NULL, &out, "audit", "verify", "--db", copy, NULL), 3);
	char want[64];
	snprintf(want, sizeof(want), "BROKEN at row %lld", (long long)second);
	CHECK_CONTAINS(out.s, want);
	buf_free(&out);
	snprintf(sql, sizeof(sql), "DELETE FROM privacy_access WHERE id = %lld", (long long)second);
	CHECK(t_sql_try(copy, sql), "remove a row");
	buf_init(&out, 0);
	CHECK_INT(t_run(NULL, &out, "audit", "verify", "--db", copy, NULL), 3);
	snprintf(want, sizeof(want), "BROKEN at row %lld", (long long)second + 1);
	CHECK_CONTAINS(out.s, want);
	CHECK_CONTAINS(out.s, "missing");
	buf_free(&out);
	/* a forged row appended with a made-up hash */
	snprintf(sql, sizeof(sql),
	         "INSERT INTO privacy_access (at, user_id, login, action, subject_kind, subject,"
	         " what, prev_hash, hash) SELECT at, user_id, login, 'view', 'company', '위조',"
	         " 'contacts:1', hash, printf('%%064d', 42) FROM privacy_access"
	         " ORDER BY id DESC LIMIT 1");
	char copy2[512];
	t_path(copy2, sizeof(copy2), "forged.db");
	CHECK_INT(t_run(NULL, NULL, "backup", "--db", d.db, "--to", copy2, NULL), 0);
	CHECK(t_sql_try(copy2, sql), "forge a row");
	int64_t forged = t_sql_num(copy2, "SELECT max(id) FROM privacy_access WHERE ?1", 1);
	buf_init(&out, 0);
	CHECK_INT(t_run(NULL, &out, "audit", "verify", "--db", copy2, NULL), 3);
	snprintf(want, sizeof(want), "BROKEN at row %lld", (long long)forged);
	CHECK_CONTAINS(out.s, want);
	buf_free(&out);
	CHECK(t_run(NULL, NULL, "audit", "verify", NULL) != 0, "--db is required");
}

int main(void)
{
	setenv("BIZSOS_TRUSTED_PROXY", "10.9.9.9", 1); /* some other machine */
	if (t_daemon_start(&d, NULL) != 0) {
		t_cleanup();
		return 1;
	}
	backup_under_load();
	verify_cli();
	CHECK_INT(t_daemon_stop(&d), 0);
	t_cleanup();
	return t_done();
}
