#ifndef GAZETTE_CNCURSESW_SHIM_H
#define GAZETTE_CNCURSESW_SHIM_H
/* Must come before any include: wide-character curses (get_wch, cchar_t, setcchar, wcwidth). */
#define _DEFAULT_SOURCE 1
#define _XOPEN_SOURCE 600
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <stdio.h>
#include <ncursesw/curses.h>

/*
 * Accessors for what Swift cannot import: macros that expand to expressions (A_*, KEY_F(n),
 * COLOR_PAIR, NCURSES_ACS, getmaxyx) and globals that Swift 6 rejects as shared mutable
 * state (stdscr, curscr, LINES, COLS, COLORS). Only CursesTerminal uses these.
 */

/* The standard streams, for newterm (Swift 6 rejects the C globals). */
static inline FILE *gz_stdin(void) { return stdin; }
static inline FILE *gz_stdout(void) { return stdout; }

/* A terminfo string capability, or NULL when absent or not a string capability. */
static inline const char *gz_tigetstr(const char *cap) {
    char *s = tigetstr(cap);
    return (s == (char *)-1) ? NULL : s;
}

/* A boolean terminfo capability (am, xenl): 1 when present. */
static inline int gz_tigetflag(const char *cap) { return tigetflag(cap) == 1; }

/* A parameterised terminfo string with two numbers (cup, setaf), or NULL (Swift cannot call the variadic tiparm). */
static inline const char *gz_tiparm2(const char *cap, int a, int b) { return tiparm(cap, a, b); }

/* terminfo `sgr` (all attributes at once, from any state), or NULL: standout, underline, reverse, blink, dim,
   bold, invisible, protected, alternate character set. */
static inline const char *gz_sgr(int underline, int reverse, int dim, int bold) {
    char *cap = tigetstr("sgr");
    if (cap == NULL || cap == (char *)-1) return NULL;
    return tiparm(cap, 0, underline, reverse, 0, dim, bold, 0, 0, 0);
}

/* Windows and sizes. */
static inline WINDOW *gz_stdscr(void) { return stdscr; }
static inline WINDOW *gz_curscr(void) { return curscr; }
static inline int gz_lines(void) { return LINES; }
static inline int gz_cols(void) { return COLS; }
static inline int gz_colors(void) { return COLORS; }
static inline int gz_maxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int gz_maxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

/* Return codes. */
static inline int gz_ok(void) { return OK; }
static inline int gz_err(void) { return ERR; }

/* Attributes. */
static inline attr_t gz_a_normal(void) { return A_NORMAL; }
static inline attr_t gz_a_bold(void) { return A_BOLD; }
static inline attr_t gz_a_dim(void) { return A_DIM; }
static inline attr_t gz_a_reverse(void) { return A_REVERSE; }
static inline attr_t gz_a_underline(void) { return A_UNDERLINE; }
static inline attr_t gz_a_italic(void) { return A_ITALIC; }
static inline chtype gz_color_pair(int pair) { return (chtype)COLOR_PAIR(pair); }

/* Colours. */
static inline short gz_color_default(void) { return -1; }
static inline short gz_color_black(void) { return COLOR_BLACK; }
static inline short gz_color_red(void) { return COLOR_RED; }
static inline short gz_color_green(void) { return COLOR_GREEN; }
static inline short gz_color_yellow(void) { return COLOR_YELLOW; }
static inline short gz_color_blue(void) { return COLOR_BLUE; }
static inline short gz_color_magenta(void) { return COLOR_MAGENTA; }
static inline short gz_color_cyan(void) { return COLOR_CYAN; }
static inline short gz_color_white(void) { return COLOR_WHITE; }

/* Alternate character set (line drawing); only meaningful after newterm. */
static inline chtype gz_acs(char c) { return NCURSES_ACS(c); }
static inline int gz_ccharw_max(void) { return CCHARW_MAX; }

/* Key codes. */
static inline int gz_key_code_yes(void) { return KEY_CODE_YES; }
static inline int gz_key_up(void) { return KEY_UP; }
static inline int gz_key_down(void) { return KEY_DOWN; }
static inline int gz_key_left(void) { return KEY_LEFT; }
static inline int gz_key_right(void) { return KEY_RIGHT; }
static inline int gz_key_ppage(void) { return KEY_PPAGE; }
static inline int gz_key_npage(void) { return KEY_NPAGE; }
static inline int gz_key_home(void) { return KEY_HOME; }
static inline int gz_key_end(void) { return KEY_END; }
static inline int gz_key_ll(void) { return KEY_LL; }
static inline int gz_key_find(void) { return KEY_FIND; }
static inline int gz_key_select(void) { return KEY_SELECT; }
static inline int gz_key_a1(void) { return KEY_A1; }
static inline int gz_key_a3(void) { return KEY_A3; }
static inline int gz_key_b2(void) { return KEY_B2; }
static inline int gz_key_c1(void) { return KEY_C1; }
static inline int gz_key_c3(void) { return KEY_C3; }
static inline int gz_key_enter(void) { return KEY_ENTER; }
static inline int gz_key_btab(void) { return KEY_BTAB; }
static inline int gz_key_backspace(void) { return KEY_BACKSPACE; }
static inline int gz_key_dc(void) { return KEY_DC; }
static inline int gz_key_ic(void) { return KEY_IC; }
static inline int gz_key_resize(void) { return KEY_RESIZE; }
static inline int gz_key_mouse(void) { return KEY_MOUSE; }
static inline int gz_key_f(int n) { return KEY_F(n); }

/* Mouse: turn reporting off at shutdown in case anyone turned it on. */
static inline int gz_mouse_off(void) { return mousemask(0, NULL) == 0 ? OK : ERR; }

/* Mouse on: left clicks (ncurses pairs press and release, and two clicks within the mouse
   interval into a double click: a burst of events read at once is resolved as a whole) and the
   wheel (buttons 4 and 5). Returns whether the terminal can report any of them. */
static inline int gz_mouse_on(void) {
    mmask_t wanted = BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON1_TRIPLE_CLICKED
                   | BUTTON4_PRESSED | BUTTON5_PRESSED;
    mouseinterval(200);
    return mousemask(wanted, NULL) != 0;
}

/* What a mouse event was: 1 left click, 2 double (or triple) click, 4 wheel up, 5 wheel down,
   0 anything else. */
static inline int gz_mouse_kind(mmask_t state) {
    if (state & (BUTTON1_DOUBLE_CLICKED | BUTTON1_TRIPLE_CLICKED)) return 2;
    if (state & (BUTTON1_CLICKED | BUTTON1_PRESSED)) return 1;
    if (state & BUTTON4_PRESSED) return 4;
    if (state & BUTTON5_PRESSED) return 5;
    return 0;
}

/* The library's version, e.g. "ncurses 6.4.20221231". */
static inline const char *gz_curses_version(void) { return curses_version(); }

#endif
