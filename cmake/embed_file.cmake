# Turns one file into a NUL-terminated C array: const char NAME[] = {...};
# Invoked at build time with -DIN=file -DOUT=file.c -DNAME=symbol.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
file(WRITE ${OUT}.tmp "/* Generated from ${IN} by cmake/embed_file.cmake. Do not edit. */\n#include <stddef.h>\n\nconst char ${NAME}[] = {${hex}0x00};\nconst size_t ${NAME}_len = sizeof(${NAME}) - 1;\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
