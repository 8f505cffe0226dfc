/* libFuzzer target for multipart/form-data bodies as the daemon reads them:
 * libmicrohttpd's post processor (64 KiB buffer, as in server.c) fed the input
 * as the body of a real request to an in-process daemon on a loopback port.
 * The first input line (up to 70 bytes) is the boundary; the rest is the body.
 * The iterator checks what bizsos relies on: a key is always given, offsets
 * of one field only grow, and no chunk is larger than the body. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct MHD_Daemon *daemon_;
static int port;
static size_t body_size;

struct state {
	struct MHD_PostProcessor *pp;
	char last_key[256];
	uint64_t next_off;
};

static enum MHD_Result iter(void *cls, enum MHD_ValueKind kind, const char *key,
                            const char *filename, const char *content_type,
                            const char *transfer_encoding, const char *d, uint64_t off, size_t size)
{
	(void)kind;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	struct state *s = cls;
	if (key == NULL)
		key = "";
	if (size > body_size || (size > 0 && d == NULL))
		abort();
	if (off > 0 && strncmp(s->last_key, key, sizeof(s->last_key) - 1) == 0 && off < s->next_off)
		abort();
	snprintf(s->last_key, sizeof(s->last_key), "%s", key);
	s->next_off = off + size;
	return MHD_YES;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	struct state *s = *con_cls;
	if (s == NULL) {
		s = calloc(1, sizeof(*s));
		if (s == NULL)
			return MHD_NO;
		s->pp = MHD_create_post_processor(c, 64 * 1024, iter, s);
		*con_cls = s;
		return MHD_YES;
	}
	if (*upload_size) {
		if (s->pp)
			(void)MHD_post_process(s->pp, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	static const char ok[] = "ok";
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(2, (void *)ok, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

static void done(void *cls, struct MHD_Connection *c, void **con_cls,
                 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct state *s = *con_cls;
	if (s) {
		if (s->pp)
			MHD_destroy_post_processor(s->pp);
		free(s);
	}
	*con_cls = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct sockaddr_in sa = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	daemon_ = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&sa, MHD_OPTION_NOTIFY_COMPLETED, done, NULL,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024), MHD_OPTION_END);
	if (daemon_ == NULL)
		abort();
	port = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT)->port;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	const uint8_t *nl = memchr(data, '\n', size < 71 ? size : 71);
	size_t blen = nl ? (size_t)(nl - data) : 0;
	char boundary[80];
	for (size_t i = 0; i < blen; i++)
		boundary[i] =
		    data[i] >= 0x21 && data[i] < 0x7f && data[i] != '"' ? (char)data[i] : 'x';
	boundary[blen] = '\0';
	const uint8_t *body = nl ? nl + 1 : data;
	body_size = size - (size_t)(body - data);
	char head[512];
	int hn = snprintf(head, sizeof(head),
	                  "POST /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
	                  "multipart/form-data; boundary=%s\r\nContent-Length: %zu\r\n\r\n",
	                  blen ? boundary : "b", body_size);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (write(fd, head, (size_t)hn) == hn &&
	    (body_size == 0 || write(fd, body, body_size) >= 0)) {
		char buf[512];
		while (read(fd, buf, sizeof(buf)) > 0)
			;
	}
	close(fd);
	return 0;
}
