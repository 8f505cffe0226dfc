/* Passwords too common to allow. A committed list (no download, no file to
 * find at run time): the words that lead breach lists worldwide and in Korea,
 * keyboard walks, and names of this system. A password is refused when,
 * lower-cased, it is on the list, or it is a listed word followed only by
 * digits and symbols ("Password1", "admin123!", "qwer1234!!"). */
#include "bizsos/user.h"

#include <ctype.h>
#include <string.h>

/* Words (letters, possibly with digits inside) that make a password weak when
 * only digits or symbols follow. */
static const char *const common_words[] = {
    "password",
    "passwd",
    "pass",
    "admin",
    "administrator",
    "root",
    "user",
    "guest",
    "test",
    "tester",
    "login",
    "welcome",
    "letmein",
    "qwerty",
    "qwert",
    "qwer",
    "asdf",
    "asdfgh",
    "asdfghjkl",
    "zxcv",
    "zxcvbn",
    "zxcvbnm",
    "qwertyuiop",
    "qazwsx",
    "iloveyou",
    "love",
    "monkey",
    "dragon",
    "master",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "soccer",
    "superman",
    "batman",
    "shadow",
    "michael",
    "charlie",
    "hello",
    "hi",
    "abc",
    "abcd",
    "abcde",
    "abcdef",
    "abcdefg",
    "abcdefgh",
    "secret",
    "changeme",
    "default",
    "manager",
    "system",
    "server",
    "korea",
    "seoul",
    "busan",
    "samsung",
    "naver",
    "daum",
    "kakao",
    "sarang",
    "saranghae",
    "dkssud",
    "dkssudgktpdy",
    "tkfkd",
    "tkfkdgo",
    "gkgk",
    "zz",
    "bizsos",
    "sos",
    "company",
    "office",
    "city",
    "government",
    "gov",
    "staff",
    "leader",
    "executive",
    "department",
    "welcome1",
    "p",
    "pw",
    "pwd",
    "a",
    "aa",
    "aaa",
    "aaaa",
    "q",
    "qq",
    "qqq",
    "qqqq",
    "x",
    "xx",
    "xxx",
    "xxxx",
    "z",
    "zzz",
    "zzzz",
    "apple",
    "computer",
    "internet",
    "starwars",
    "whatever",
    "trustno",
    "access",
    "mustang",
    "flower",
    "summer",
    "winter",
    "spring",
    "autumn",
    "freedom",
    "hunter",
    "killer",
    "matrix",
    "nothing",
    "pokemon",
    "purple",
    "orange",
    "yellow",
    "banana",
    "cookie",
};

/* Whole passwords that are common but not "a word and digits". */
static const char *const common_whole[] = {
    "1q2w3e4r",   "1q2w3e4r!",    "1q2w3e4r5t", "1q2w3e4r5t!", "1qaz2wsx",    "1qaz2wsx!",
    "1qaz@wsx",   "!qaz2wsx",     "q1w2e3r4",   "q1w2e3r4!",   "q1w2e3r4t5",  "a1b2c3d4",
    "a1b2c3d4!",  "1a2b3c4d",     "12345678a",  "123456789a",  "1234567890a", "123qwe!@#",
    "123qweasd",  "123qweasdzxc", "qweasdzxc",  "qweasdzxc1",  "!@#$%^&*",    "!@#$qwer",
    "1234qwer",   "1234qwer!",    "1234!@#$",   "12341234",    "12345678",    "123456789",
    "1234567890", "11111111",     "00000000",   "87654321",    "98765432",    "p@ssw0rd",
    "p@ssw0rd!",  "p@ssword",     "p@ssword1",  "passw0rd",    "passw0rd!",   "pa$$w0rd",
    "pa$$word",   "adm1n",        "adm1n123",   "qwer!@#$",    "qwe123!@#",   "asdf1234!",
    "zxcv1234!",  "abcd1234!",    "abc123!@#",  "iloveyou!",   "1q2w3e!",     "zaq12wsx",
    "zaq1@wsx",
};

static bool in(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

bool password_is_common(const char *pw)
{
	char low[PASSWORD_MAX + 1];
	size_t n = 0;
	for (; pw && pw[n] && n < PASSWORD_MAX; n++)
		low[n] = (char)tolower((unsigned char)pw[n]);
	low[n] = '\0';
	if (in(common_whole, BZ_ARRAY_LEN(common_whole), low))
		return true;
	/* Strip what follows the word: digits and ASCII symbols. */
	size_t end = n;
	while (end > 0 && (unsigned char)low[end - 1] < 0x80 &&
	       !isalpha((unsigned char)low[end - 1]))
		end--;
	low[end] = '\0';
	/* Nothing but digits and symbols, or a listed word and them. */
	return end == 0 || in(common_words, BZ_ARRAY_LEN(common_words), low);
}
