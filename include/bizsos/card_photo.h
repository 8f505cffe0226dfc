/* The card's photo strip per quarter, as the leader chooses it (issue 14):
 * which photos of the field activities appear on the card of a quarter, in
 * which order, with which caption. A quarter with no choice shows the latest
 * four field photos up to its as-of day (card.c). Stored in card_photo
 * (sql/105); a new choice retires the old rows; every choice is audited. */
#ifndef BIZSOS_CARD_PHOTO_H
#define BIZSOS_CARD_PHOTO_H

#include "bizsos/photo.h"
#include "bizsos/store.h"
#include <jansson.h>

#define CARD_PHOTOS_MAX 6

/* The photos the leader may choose for the card of year/quarter: those of
 * field activities held in the year up to the quarter's last day, and any
 * already chosen, newest first (60 at most): [{id, activity_id, held_on, type,
 * caption, chosen, sort, card_caption, src (link fact)}]. New array. */
bz_rc card_photo_choices(struct db *db, int64_t program_id, int year, int quarter, json_t **out);

struct card_photo_pick {
	int64_t photo_id;
	int sort;            /* 1..99: the order on the card */
	const char *caption; /* NULL or "": the photo's own caption */
};

/* Replaces the choice for the quarter with picks[0..n) (n = 0: back to the
 * default). Outcomes: BZ_OK; BZ_ERR_INVALID with fields (photos: more than
 * CARD_PHOTOS_MAX or a photo that may not be chosen; caption_<id>, sort_<id>)
 * and nothing written; BZ_ERR_NOTFOUND (no such program); a system failure.
 * Audited ("card_photos", "program:<id>/<quarter>"). */
bz_rc card_photo_choose(struct db *db, int64_t actor_id, int64_t program_id, int year, int quarter,
                        const struct card_photo_pick *picks, size_t n, json_t *fields);

#endif
