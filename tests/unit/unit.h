/* unit.h - a minimal C unit-test harness.  Each TEST registers itself; the
 * runner prints "ok NAME" or "FAIL NAME: file:line: what" per test. */
#ifndef VX_UNIT_H
#define VX_UNIT_H

#include <stdio.h>
#include <string.h>

typedef void (*UnitFn)(void);
void unit_register(const char *name, UnitFn fn);
void unit_fail(const char *file, int line, const char *what);

#define TEST(name)                                                           \
    static void name(void);                                                  \
    __attribute__((constructor)) static void register_##name(void)           \
    { unit_register(#name, name); }                                          \
    static void name(void)

#define CHECK(cond) do { if (!(cond)) { unit_fail(__FILE__, __LINE__, #cond); return; } } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b);                \
        if (strcmp(a_, b_) != 0) { char m_[512];                             \
            snprintf(m_, sizeof m_, "%s == \"%s\", expected \"%s\"", #a, a_, b_); \
            unit_fail(__FILE__, __LINE__, m_); return; } } while (0)

#endif
