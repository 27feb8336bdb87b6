namespace Cairn.Domain.Tests.Reminders;

/// <summary>Which reminder step is due for an invoice on a day, and what a schedule accepts.</summary>
public sealed class ReminderScheduleTests
{
    private static readonly DateOnly Issued = new(2026, 11, 2);
    private static readonly DateOnly Due = new(2026, 12, 2);

    [Fact]
    public void The_default_schedule_has_four_steps_in_all_five_languages()
    {
        Assert.Equal([-3, 7, 21, 35], ReminderSchedule.Default.Steps.Select(s => s.OffsetDays));
        Assert.All(ReminderSchedule.Default.Steps, s => Assert.Equal(Enum.GetValues<Language>().Length, s.Texts.Count));
        Assert.Equal(ReminderSchedule.Default.Steps.Select(s => s.OffsetDays), ReminderSchedule.Create(ReminderSchedule.Default.Steps).Steps.Select(s => s.OffsetDays));
    }

    [Fact]
    public void Day_by_day_each_step_is_sent_on_its_day_and_nothing_is_skipped()
    {
        var recorded = new List<int>();
        var sent = new List<(int Offset, DateOnly Day)>();
        for (var day = Due.AddDays(-5); day <= Due.AddDays(40); day = day.AddDays(1))
        {
            var plan = ReminderSchedule.Default.PlanFor(Issued, Due, day, recorded);
            Assert.Empty(plan.Skip);
            if (plan.Send is { } step)
            {
                sent.Add((step.OffsetDays, day));
                recorded.Add(step.OffsetDays);
            }
        }

        Assert.Equal([(-3, Due.AddDays(-3)), (7, Due.AddDays(7)), (21, Due.AddDays(21)), (35, Due.AddDays(35))], sent);
    }

    [Fact]
    public void After_a_long_pause_only_the_latest_step_is_sent_and_the_earlier_ones_skipped()
    {
        var plan = ReminderSchedule.Default.PlanFor(Issued, Due, Due.AddDays(40), []);

        Assert.Equal(35, plan.Send?.OffsetDays);
        Assert.Equal([-3, 7, 21], plan.Skip.Select(s => s.OffsetDays));
    }

    [Fact]
    public void A_step_before_the_issue_date_does_not_apply()
    {
        // Issued with no payment terms: the "due in 3 days" step would fall before the invoice existed.
        Assert.Equal(ReminderPlan.Nothing, ReminderSchedule.Default.PlanFor(Due, Due, Due, []));
        Assert.Equal(7, ReminderSchedule.Default.PlanFor(Due, Due, Due.AddDays(7), []).Send?.OffsetDays);
    }

    [Fact]
    public void A_step_earlier_than_one_already_sent_is_skipped_not_sent()
    {
        var plan = ReminderSchedule.Default.PlanFor(Issued, Due, Due.AddDays(22), [21]);

        Assert.Null(plan.Send);
        Assert.Equal([-3, 7], plan.Skip.Select(s => s.OffsetDays));
    }

    [Fact]
    public void Day_by_day_a_pass_may_have_work_exactly_when_the_plan_is_not_empty()
    {
        // Issue 16: the dunning pass asks MayPlanFor from what was recorded (how many steps, the latest) before it reads the steps themselves.
        var recorded = new List<int>();
        for (var day = Due.AddDays(-40); day <= Due.AddDays(60); day = day.AddDays(1))
        {
            var plan = ReminderSchedule.Default.PlanFor(Issued, Due, day, recorded);
            var latest = recorded.Count == 0 ? (int?)null : recorded.Max();
            Assert.Equal(!plan.IsEmpty, ReminderSchedule.Default.MayPlanFor(Issued, Due, day, recorded.Count, latest));
            if (day.DayNumber % 9 == 0)
                recorded.AddRange(plan.Skip.Append(plan.Send).OfType<ReminderStep>().Select(s => s.OffsetDays));
        }

        Assert.Equal([-3, 7, 21, 35], recorded.Order());
        Assert.False(ReminderSchedule.Default.MayPlanFor(Due, Due, Due, 0, null));
    }

    [Fact]
    public void A_job_that_looks_only_on_the_next_day_it_worked_out_misses_no_step_and_no_overdue_day()
    {
        // Issue 16: the dunning pass reads an invoice only when the day it recorded has come. Day by day, the days on
        // which the plan has something or the invoice becomes overdue are exactly the days NextDayAfter named.
        foreach (var issued in new[] { Issued, Due.AddDays(-2) })
        {
            var recorded = new List<int>();
            var marked = false;
            DateOnly? next = issued;
            var worked = new List<DateOnly>();
            for (var day = issued; day <= Due.AddDays(60); day = day.AddDays(1))
            {
                var plan = ReminderSchedule.Default.PlanFor(issued, Due, day, recorded);
                var becomesOverdue = !marked && day > Due;
                if (!plan.IsEmpty || becomesOverdue)
                    worked.Add(day);
                if (next is not { } d || d > day)
                {
                    Assert.True(plan.IsEmpty && !becomesOverdue, $"work on {day} before the recorded day {next}");
                    continue;
                }

                recorded.AddRange(plan.Skip.Append(plan.Send).OfType<ReminderStep>().Select(s => s.OffsetDays));
                marked |= becomesOverdue;
                next = ReminderSchedule.Default.NextDayAfter(issued, Due, day, marked);
            }

            Assert.Null(next);
            var expected = new[] { -3, 1, 7, 21, 35 }.Select(o => Due.AddDays(o)).Where(d => d >= issued).ToList();
            Assert.Equal(expected, worked);
        }
    }

    [Fact]
    public void A_text_fills_its_placeholders()
    {
        var text = new ReminderText("Invoice {invoiceNumber}", "{balanceDue} is {daysOverdue} days late").Checked("steps[0].texts.en");

        var rendered = text.Render(new Dictionary<string, string> { ["invoiceNumber"] = "INV-1", ["balanceDue"] = "7,000.00 EUR", ["daysOverdue"] = "7" });

        Assert.Equal(new ReminderText("Invoice INV-1", "7,000.00 EUR is 7 days late"), rendered);
    }

    [Theory]
    [InlineData(-61, "reminder_offset_out_of_range", "steps[1].offsetDays")]
    [InlineData(7, "duplicate_reminder_offset", "steps[1].offsetDays")]
    public void A_bad_offset_is_refused_naming_the_step(int offset, string code, string field)
    {
        var en = new Dictionary<Language, ReminderText> { [Language.En] = new("Due", "Please pay.") };

        var error = Assert.Throws<DomainException>(() => ReminderSchedule.Create([new(7, en), new(offset, en)])).Error;

        Assert.Equal((code, field), (error.Code, error.Field));
    }

    [Fact]
    public void An_unknown_placeholder_or_a_missing_english_text_is_refused_naming_the_field()
    {
        var unknown = Assert.Throws<DomainException>(() => ReminderSchedule.Create([new(7, new Dictionary<Language, ReminderText>
        {
            [Language.En] = new("Due", "Please pay."),
            [Language.De] = new("Fällig", "Bitte zahlen Sie {betrag}."),
        })])).Error;
        Assert.Equal(("invalid_reminder_text", "steps[0].texts.de.body"), (unknown.Code, unknown.Field));

        var missing = Assert.Throws<DomainException>(() => ReminderSchedule.Create([new(7, new Dictionary<Language, ReminderText> { [Language.Fr] = new("Échue", "Merci de payer.") })])).Error;
        Assert.Equal(("reminder_text_missing", "steps[0].texts.en"), (missing.Code, missing.Field));
    }
}
