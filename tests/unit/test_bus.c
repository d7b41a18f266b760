/* tests/unit/test_bus.c — the event bus: synchronous delivery in order,
 * kinds filtering, queued subscribers drained on the loop (never inside
 * the publisher), their cap counted as drops, unsubscribe during delivery,
 * and the nesting guard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/bus.h"
#include "core/loop.h"

static char trace[256];
static int publishing;

static void note(const char *who, const struct sd_bus_event *ev)
{
	size_t n = strlen(trace);
	snprintf(trace + n, sizeof trace - n, "%s:%s%s;", who,
		 ev->kind == SD_BUS_MODEL ? ev->u.model.id : "?", publishing ? "(in)" : "");
}

static void sync_a(const struct sd_bus_event *ev, void *arg) { note("a", ev); }
static void sync_b(const struct sd_bus_event *ev, void *arg) { note("b", ev); }
static void queued_q(const struct sd_bus_event *ev, void *arg) { note("q", ev); }

static void pub(struct sd_bus *b, const char *id)
{
	publishing = 1;
	sd_bus_model_changed(b, SD_TOPIC_SLICES, id, false);
	publishing = 0;
}

static void test_sync_and_queued(void **state)
{
	struct sd_loop *loop = sd_loop_new();
	struct sd_bus *b = sd_bus_new(loop);
	int qa, i;
	(void)state;

	assert_true(sd_bus_subscribe(b, SD_BUS_BIT(SD_BUS_MODEL), sync_a, NULL) > 0);
	assert_true(sd_bus_subscribe(b, SD_BUS_BIT(SD_BUS_ALARM), sync_b, NULL) > 0);
	qa = sd_bus_subscribe_queued(b, SD_BUS_BIT(SD_BUS_MODEL), 2, queued_q, NULL);
	assert_true(qa > 0);
	assert_int_equal(sd_bus_subscribe(b, 0, sync_a, NULL), -1);
	trace[0] = '\0';
	pub(b, "x1");
	pub(b, "x2");
	pub(b, "x3");   /* over the queue's cap of 2 */
	/* synchronous ones ran inside publish; b filters the kind out; the
	 * queued one has not run yet */
	assert_string_equal(trace, "a:x1(in);a:x2(in);a:x3(in);");
	assert_int_equal(sd_bus_dropped(b, qa), 1);
	trace[0] = '\0';
	for (i = 0; i < 3; i++)
		sd_loop_once(loop, 10);
	assert_string_equal(trace, "q:x1;q:x2;");
	sd_bus_free(b);
	sd_loop_free(loop);
}

static struct sd_bus *gbus;
static int self_id, depth_calls;
static void unsub_self(const struct sd_bus_event *ev, void *arg)
{
	note("u", ev);
	sd_bus_unsubscribe(gbus, self_id);
}
static void republish(const struct sd_bus_event *ev, void *arg)
{
	depth_calls++;
	sd_bus_publish(gbus, ev);   /* a loop a subscriber should never make */
}

static void test_unsubscribe_and_nesting(void **state)
{
	struct sd_bus *b = sd_bus_new(NULL);
	int r;
	(void)state;

	gbus = b;
	self_id = sd_bus_subscribe(b, SD_BUS_BIT(SD_BUS_MODEL), unsub_self, NULL);
	assert_true(sd_bus_subscribe(b, SD_BUS_BIT(SD_BUS_MODEL), sync_a, NULL) > 0);
	trace[0] = '\0';
	sd_bus_model_changed(b, SD_TOPIC_SLICES, "y1", false);
	sd_bus_model_changed(b, SD_TOPIC_SLICES, "y2", false);
	/* u ran once and left; a saw both, also the one during which u left */
	assert_string_equal(trace, "u:y1;a:y1;a:y2;");
	r = sd_bus_subscribe(b, SD_BUS_BIT(SD_BUS_SAMPLE), republish, NULL);
	assert_true(r > 0);
	{
		struct sd_bus_event ev = { .kind = SD_BUS_SAMPLE };
		sd_bus_publish(b, &ev);
	}
	/* bounded: the guard stops the recursion */
	assert_true(depth_calls >= 1 && depth_calls <= 8);
	sd_bus_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync_and_queued),
		cmocka_unit_test(test_unsubscribe_and_nesting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
