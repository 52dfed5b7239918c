"""Classes of errors met on stories rasd had never seen, each with sentences written for it (not taken from any
evaluation article): one test per linguistic fact, with a positive and a negative case where it has one."""

from __future__ import annotations

from extractor import extract

PUBLISHED = "2021-06-10"


def facts_of(text: str, published: str | None = PUBLISHED) -> set[tuple]:
    record = extract(text, published=published, id="t")
    return {(f.metric, f.value, f.qualifier, f.organization, f.scope, f.period.start, f.period.end)
            for f in record.facts}


def orgs_of(text: str, published: str | None = PUBLISHED) -> dict[int | float, str | None]:
    return {f.value: f.organization for f in extract(text, published=published, id="t").facts}


# --- organisation: the one named inside the figure's own list item owns it -----------------------------------------
def test_organisation_between_figure_and_noun_or_after_it_in_its_list_item() -> None:
    text = ("In the second half of 2020 the platform removed 91,500 posts on 210 Hamas channels, 40,200 Hezbollah "
            "posts on 96 channels and 12,003 posts on 31 channels run by the Houthis.")
    assert orgs_of(text) == {91500: "hamas", 210: "hamas", 40200: "hezbollah", 96: "hezbollah",
                             12003: "houthis", 31: "houthis"}


def test_arabic_breakdown_with_organisation_after_its_figures() -> None:
    text = ("وحذفت الشركة خلال عام 2020 نحو 900 ألف منشور، منها 512 ألف منشور في 77 قناة عائدة لحركة الشباب، "
            "و388 ألف منشور في 54 قناة تابعة لجماعة بوكو حرام.")
    assert orgs_of(text) == {900000: None, 512000: "al-shabaab", 77: "al-shabaab", 388000: "boko-haram",
                             54: "boko-haram"}


def test_a_list_of_organisations_in_the_item_is_a_total() -> None:
    text = "Last year the site banned 5,310 accounts linked to Hamas, Hezbollah and the Houthis."
    assert orgs_of(text, "2021-01-15") == {5310: None}


# --- organisation by reference ---------------------------------------------------------------------------------------
def test_a_reference_takes_the_organisation_named_last_before_it() -> None:
    text = ("تواصل المنصة ملاحقة حسابات جماعة الإخوان المسلمين على الإنترنت.\n"
            "وأعلنت الشركة أمس حذف 640 حساباً تابعة للتنظيم خلال شهر مايو.")
    assert orgs_of(text) == {640: "muslim-brotherhood"}


def test_a_singular_reference_after_a_list_stays_unresolved() -> None:
    text = ("Moderators watched three groups (Hamas, Hezbollah and the Houthis). In May they removed 7,400 videos "
            "posted by the terrorist group.")
    assert orgs_of(text) == {7400: None}


def test_tabi_li_is_belonging_to_not_following() -> None:
    text = "وكشفت الشركة أن المحتوى المحذوف في مارس تابع لتنظيم داعش بواقع 45 ألف مادة."
    assert facts_of(text) == {("content_removed", 45000, "exact", "isis", "period", "2021-03", "2021-03")}


# --- counted nouns and actions ------------------------------------------------------------------------------------
def test_pages_websites_and_servers_are_channels() -> None:
    text = "In April 2021 the agency took down 38 websites and 4 servers, and Facebook removed 120 pages."
    assert {f[0] for f in facts_of(text)} == {"channels_closed"}


def test_hacked_or_owned_accounts_are_not_removals() -> None:
    text = ("أعلنت المنصة إلغاء 2300 حساب في أبريل، بينما اخترق قراصنة 8 آلاف حساب، "
            "ويمتلك أنصار الجماعة 60 ألف حساب.")
    assert facts_of(text) == {("accounts_suspended", 2300, "exact", None, "period", "2021-04", "2021-04")}


def test_egyptian_akthar_men_is_more_than() -> None:
    text = "في يناير 2021، قفل فيسبوك أكتر من 3500 صفحة."
    assert facts_of(text) == {("channels_closed", 3500, "more_than", None, "period", "2021-01", "2021-01")}


# --- scope: records, their horizon, one day, the start of the current month -----------------------------------------
def test_a_record_day_and_the_earlier_record_it_is_compared_with_are_peaks() -> None:
    text = ("أعلنت المنصة أنها حظرت 61,204 قناة يوم 7 مايو، وهو أعلى رقم منذ مارس، حين أغلقت 58,330 قناة "
            "في يوم واحد.")
    assert facts_of(text) == {
        ("channels_closed", 61204, "exact", None, "peak", "2021-05-07", "2021-05-07"),
        ("channels_closed", 58330, "exact", None, "peak", "2021-03", "2021-03"),
    }


def test_since_the_start_of_this_month_is_a_period_beside_a_record() -> None:
    text = ("Since the beginning of May the service has blocked 940,112 groups, and on May 8 alone it blocked "
            "70,450 groups, the highest since February 2 (when 66,010 groups were blocked).")
    assert facts_of(text) == {
        ("channels_closed", 940112, "exact", None, "period", "2021-05", None),
        ("channels_closed", 70450, "exact", None, "peak", "2021-05-08", "2021-05-08"),
        ("channels_closed", 66010, "exact", None, "peak", "2021-02-02", "2021-02-02"),
    }


def test_a_single_day_without_a_record_cue_is_a_period() -> None:
    text = "On 4 June 2021 alone the platform removed 12,500 videos."
    assert facts_of(text) == {("content_removed", 12500, "exact", None, "period", "2021-06-04", "2021-06-04")}


def test_since_a_past_year_start_stays_a_running_total() -> None:
    text = "Since the beginning of 2019 the partnership has removed 3,400,000 posts."
    assert {(f[4], f[5]) for f in facts_of(text)} == {("cumulative", "2019-01")}


# --- a period stated once for a breakdown belongs to every figure in it ---------------------------------------------
def test_breakdown_takes_the_period_of_the_total_nearest_its_sum() -> None:
    text = ("The partners removed over 3 million posts in the first half of 2021.\n"
            "Between January 1 and June 29 they removed 3,120,400 posts and closed 700 channels.\n"
            "Moderators found 2,000,000 posts on 500 channels belonging to Hamas and 1,120,400 posts on 200 "
            "channels run by Hezbollah.")
    got = facts_of(text, "2021-07-05")
    parts = {f for f in got if f[3] is not None}
    assert parts == {
        ("content_removed", 2000000, "exact", "hamas", "period", "2021-01-01", "2021-06-29"),
        ("channels_closed", 500, "exact", "hamas", "period", "2021-01-01", "2021-06-29"),
        ("content_removed", 1120400, "exact", "hezbollah", "period", "2021-01-01", "2021-06-29"),
        ("channels_closed", 200, "exact", "hezbollah", "period", "2021-01-01", "2021-06-29"),
    }


def test_a_year_written_after_a_range_is_the_range_year_not_a_period() -> None:
    text = "Between March 1 and April 15 this year the site removed 8,800 videos."
    assert facts_of(text, "2021-05-02") == {
        ("content_removed", 8800, "exact", None, "period", "2021-03-01", "2021-04-15")}


# --- signs, counted organisations, requests, unit words, round lower bounds ---------------------------------------
def test_a_decrease_is_a_negative_change_and_an_increase_positive() -> None:
    down = "Twitter suspended 166,513 accounts in 2020, a decline of 6.2% compared with 2019."
    up = "وحذفت المنصة 9 آلاف فيديو في 2020، بزيادة بنسبة 7.5% مقارنة بالعام السابق."
    assert {f[1] for f in facts_of(down) if f[0] == "activity_change"} == {-6.2}
    assert {f[1] for f in facts_of(up) if f[0] == "activity_change"} == {7.5}


def test_a_count_of_terrorist_groups_is_no_figure() -> None:
    text = "In May 2021 the team closed 812 channels affiliated with four terrorist groups."
    assert facts_of(text) == {("channels_closed", 812, "exact", None, "period", "2021-05", "2021-05")}


def test_accounts_named_in_requests_are_not_removed() -> None:
    text = "وتلقت الشركة خلال عام 2020 طلبات حكومية تخص 5 آلاف و120 حساباً لحذفها، وأوقفت 930 حساباً."
    assert facts_of(text) == {("accounts_suspended", 930, "exact", None, "period", "2020-01", "2020-12")}


def test_a_scale_word_after_a_full_figure_is_its_unit() -> None:
    text = "أزالت المنصة خلال شهر مايو ( 3.207.115 ) مليون مادة متطرفة."
    assert facts_of(text) == {("content_removed", 3207115, "exact", None, "period", "2021-05", "2021-05")}


def test_a_round_lower_bound_in_the_headline_is_the_body_figure() -> None:
    text = "المنصة تحجب أكثر من 300 ألف قناة\nحجبت المنصة 312,480 قناة يوم 3 يونيو، وهو أعلى رقم هذا العام."
    assert facts_of(text) == {("channels_closed", 312480, "exact", None, "peak", "2021-06-03", "2021-06-03")}


# --- a monitored breakdown that adds up to a removal total is that total's breakdown ------------------------------
def test_monitored_figures_adding_up_to_the_removal_total_are_its_parts() -> None:
    text = ("أزالت المنصة خلال الربع الأول من 2021 ما مجموعه 910 آلاف مادة.\n"
            "ورصد الفريق 600 ألف مادة في قنوات تابعة لحركة الشباب، و310 آلاف مادة في قنوات تابعة لبوكو حرام.")
    assert facts_of(text) == {
        ("content_removed", 910000, "exact", None, "period", "2021-01", "2021-03"),
        ("content_removed", 600000, "exact", "al-shabaab", "period", "2021-01", "2021-03"),
        ("content_removed", 310000, "exact", "boko-haram", "period", "2021-01", "2021-03"),
    }


def test_monitored_figures_that_add_up_to_no_removal_total_stay_out() -> None:
    text = ("أزالت المنصة خلال الربع الأول من 2021 ما مجموعه 910 آلاف مادة.\n"
            "ورصد الفريق 200 ألف مادة في قنوات تابعة لحركة الشباب، و50 ألف مادة في قنوات تابعة لبوكو حرام.")
    assert facts_of(text) == {("content_removed", 910000, "exact", None, "period", "2021-01", "2021-03")}


# --- back-references and open ends ------------------------------------------------------------------------------------
def test_has_since_takes_the_date_named_before_as_the_start_of_a_running_total() -> None:
    text = ("The platform started working with the regulator in March 2019. It has since removed 4,410,200 posts "
            "and closed 9,120 channels.")
    assert facts_of(text) == {
        ("content_removed", 4410200, "exact", None, "cumulative", "2019-03", None),
        ("channels_closed", 9120, "exact", None, "cumulative", "2019-03", None),
    }


def test_from_a_month_until_now_is_a_running_total_with_no_end() -> None:
    text = "The number of posts deleted from April 2019 until now rose to 7,302,118."
    assert facts_of(text) == {("content_removed", 7302118, "exact", None, "cumulative", "2019-04", None)}


def test_since_the_current_year_alone_is_a_period_to_date() -> None:
    text = "وحجبت المنصة منذ 2021 أكثر من 6 ملايين قناة، بينما حجبت منذ 2019 نحو 15 مليون قناة."
    assert facts_of(text) == {
        ("channels_closed", 6000000, "more_than", None, "period", "2021", None),
        ("channels_closed", 15000000, "approx", None, "cumulative", "2019", None),
    }


def test_a_record_day_of_activity_counts_although_a_monitoring_word_describes_it() -> None:
    text = ("وسجل فريق الرصد يوم 12 أبريل 2021 نشاطاً هو الأعلى بـ38,114 محتوى متطرفاً، "
            "ورصد الفريق في مارس 2021 نحو 2,000 حساب.")
    assert facts_of(text) == {("content_removed", 38114, "exact", None, "peak", "2021-04-12", "2021-04-12")}


def test_a_bare_day_number_after_yawm_is_no_enumerated_figure() -> None:
    text = "وحذفت المنصة 7,410 محتوى في 4 مارس 2021، ويوم 19 منه أغلقت قنوات أخرى."
    assert {f[1] for f in facts_of(text)} == {7410}


def test_a_part_after_an_inclusion_cue_shares_the_total_scope_and_period() -> None:
    text = ("Since March 2019 the total number of posts removed rose to 2,300,000; these included 5,500 channels. "
            "ومنذ بداية مايو حجبت المنصة 80,200 قناة، من بينها 1,310 مرتبطة بالإرهاب.")
    assert facts_of(text) == {
        ("content_removed", 2300000, "exact", None, "cumulative", "2019-03", None),
        ("channels_closed", 5500, "exact", None, "cumulative", "2019-03", None),
        ("channels_closed", 80200, "exact", None, "period", "2021-05", None),
        ("channels_closed", 1310, "exact", None, "period", "2021-05", None),
    }


# --- totals carried by a noun phrase, verbs of exceeding -------------------------------------------------------------
def test_a_total_named_before_its_figure_and_an_exceeding_verb() -> None:
    first = "وحجبت المنصة 12,400 قناة يوم 2 يونيو، ليتجاوز الإجمالي 3.2 مليون منذ 2021."
    second = "وتخطى عدد القنوات المغلقة منذ بداية عام 2021 ما مجموعه 3,250,000."
    assert ("channels_closed", 3200000, "more_than", None, "period", "2021", None) in facts_of(first)
    assert facts_of(second) == {("channels_closed", 3250000, "more_than", None, "period", "2021-01", None)}


def test_topping_a_ranking_is_no_hedge() -> None:
    text = "In Q1 2021 Hamas topped the list with 41,300 posts removed."
    assert facts_of(text) == {("content_removed", 41300, "exact", "hamas", "period", "2021-01", "2021-03")}


# --- the figure's own clause, back-references, unresolved relative dates ----------------------------------------------
def test_a_statement_date_does_not_date_the_figures() -> None:
    text = "أعلنت الشركة في يونيو 2021 أنها حذفت 410 آلاف فيديو خلال الربع الأول من 2021."
    assert facts_of(text) == {("content_removed", 410000, "exact", None, "period", "2021-01", "2021-03")}


def test_the_following_day_is_the_day_after_the_day_named_before() -> None:
    text = "YouTube removed 2,010 videos on 30 April 2021 and 2,450 videos the following day."
    assert facts_of(text) == {
        ("content_removed", 2010, "exact", None, "period", "2021-04-30", "2021-04-30"),
        ("content_removed", 2450, "exact", None, "period", "2021-05-01", "2021-05-01"),
    }


def test_an_unresolved_relative_date_gives_no_period_and_a_warning() -> None:
    text = "وحذفت المنصة خلال عام 2020 نحو 4 ملايين فيديو، بينما حذفت الشهر الماضي 380 ألف فيديو."
    record = extract(text, id="t")
    got = {(f.value, f.period.start, f.period.end) for f in record.facts}
    assert got == {(4000000, "2020-01", "2020-12"), (380000, None, None)}
    assert "unresolved_date" in {w.code for w in record.warnings}


# --- warnings that are right, records that govern their own clause ---------------------------------------------
def test_a_round_total_agrees_with_exact_parts_that_round_to_it() -> None:
    text = ("وحذفت المنصة خلال عام 2020 ما مجموعه 4 ملايين منشور، منها 3,402,118 لحماس و611,044 لحزب الله.")
    record = extract(text, published=PUBLISHED, id="t")
    assert "organisations_do_not_add_up" not in {w.code for w in record.warnings}
    exact = "In 2020 the site removed 4,013,100 posts: 3,402,118 from Hamas and 500,000 from Hezbollah."
    record = extract(exact, published=PUBLISHED, id="t")
    assert "organisations_do_not_add_up" in {w.code for w in record.warnings}


def test_a_record_cue_in_a_clause_with_its_own_figure_governs_that_figure_only() -> None:
    text = ("وخلال الربع الأول من 2021 حُجبت 5,020 قناة، وبلغ النشاط ذروته في مارس بإزالة 2.4 مليون منشور.")
    assert facts_of(text) == {
        ("channels_closed", 5020, "exact", None, "period", "2021-01", "2021-03"),
        ("content_removed", 2400000, "exact", None, "peak", "2021-03", "2021-03"),
    }


def test_a_change_word_governing_a_percent_in_a_removal_sentence_is_a_change() -> None:
    text = "وتراجع نشاط الحسابات المتطرفة بنسبة 9% خلال عام 2020، إذ أوقفت المنصة 7,700 حساب."
    assert ("activity_change", -9, "exact", None, "period", "2020-01", "2020-12") in facts_of(text)
    users = "وارتفع عدد مستخدمي المنصة بنسبة 9% خلال عام 2020."
    assert facts_of(users) == set()


def test_a_hedge_after_the_counted_noun_is_approx() -> None:
    text = "In March 2021 the platform removed 60,000 videos or so."
    assert facts_of(text) == {("content_removed", 60000, "approx", None, "period", "2021-03", "2021-03")}


def test_a_dual_noun_counts_two() -> None:
    text = "وحجبت المنصة في مايو 2021 قناتين تابعتين لحماس، وأغلقت 14 صفحة وحسابين للحوثيين."
    got = {(f.metric, f.value, f.organization, f.evidence.text) for f in extract(text, published=PUBLISHED).facts}
    assert got == {("channels_closed", 2, "hamas", "قناتين"), ("channels_closed", 14, "houthis", "14"),
                   ("accounts_suspended", 2, "houthis", "حسابين")}


def test_one_day_takes_no_year_to_date_and_an_included_part_keeps_its_own_date() -> None:
    text = "Telegram blocked 41,060 channels in a single day, bringing the total since 2021 above 3 million."
    assert ("channels_closed", 41060, "exact", None, "period", None, None) in facts_of(text)
    text = "وحذفت المنصة 900 ألف منشور على مدى عامين، بما في ذلك 120 ألفاً خلال النصف الثاني من 2020."
    assert facts_of(text) == {
        ("content_removed", 900000, "exact", None, "period", None, None),
        ("content_removed", 120000, "exact", None, "period", "2020-07", "2020-12"),
    }


def test_an_unhedged_figure_and_a_hedged_bound_below_it_are_one_statement() -> None:
    text = ("أزالت المنصة 12.5 مليون منشور خلال عام 2020.\n"
            "وأوضح البيان أنه تم حذف ما يزيد عن 4ر12 مليون منشور خلال عام 2020.")
    assert facts_of(text) == {("content_removed", 12500000, "exact", None, "period", "2020-01", "2020-12")}


def test_the_organisation_after_belonging_to_is_no_counted_noun_before_the_figure() -> None:
    text = "وكان المحتوى المحذوف تابعاً لحركة حماس بواقع 640 ألفاً خلال عام 2020."
    assert facts_of(text) == {("content_removed", 640000, "exact", "hamas", "period", "2020-01", "2020-12")}


def test_a_figure_the_organisation_figures_add_up_to_is_their_total() -> None:
    text = ("تصدّرت حماس بـ700 ألف منشور، تلاها حزب الله بـ300 ألف، خلال عام 2020 الذي حذفت فيه المنصة مليون منشور.")
    assert {(f.value, f.organization) for f in extract(text, published=PUBLISHED).facts} == {
        (700000, "hamas"), (300000, "hezbollah"), (1000000, None)}


def test_the_figure_a_comparison_names_is_the_same_metric_for_its_own_period() -> None:
    text = "YouTube removed 2.2 million videos in Q3 2020, up from 1.9 million in Q2 2020."
    assert facts_of(text, "2020-11-01") == {
        ("content_removed", 2200000, "exact", None, "period", "2020-07", "2020-09"),
        ("content_removed", 1900000, "exact", None, "period", "2020-04", "2020-06"),
    }


def test_a_hedged_one_day_headline_is_the_dated_record_of_the_body() -> None:
    text = ("المنصة تحجب أكثر من 70 ألف قناة في يوم واحد\n"
            "وحجبت المنصة يوم 9 مايو 2021 نحو 71,420 قناة، وهو أعلى رقم منذ يناير.")
    assert facts_of(text) == {("channels_closed", 71420, "approx", None, "peak", "2021-05-09", "2021-05-09")}
