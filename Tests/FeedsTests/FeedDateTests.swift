import Feeds
import XCTest

/// `FeedDate.parse` on the forms feeds write, right and broken; exact seconds for each.
final class FeedDateTests: XCTestCase {
    func testValidDates() {
        for (text, seconds) in Self.valid {
            XCTAssertEqual(FeedDate.parse(text)?.secondsSince1970, seconds, "\(text)")
        }
    }

    func testImpossibleOrUnreadableDatesAreNil() {
        for text in Self.invalid {
            XCTAssertNil(FeedDate.parse(text), "\(text)")
        }
    }

    /// Every day of every month from 1 through 9999 against a running count: the arithmetic agrees with
    /// simply adding one day at a time, across every leap rule (4, 100, 400).
    func testEveryDayOfTheCalendarIsOneDayAfterThePrevious() {
        var expected = FeedDate.parse("0001-01-01")!.secondsSince1970
        XCTAssertEqual(expected, -62_135_596_800) // calendar.timegm((1, 1, 1, 0, 0, 0))
        let monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for year in [1, 4, 100, 1600, 1700, 1899, 1900, 1969, 1970, 1999, 2000, 2001, 2024, 2100, 2400, 9999] {
            expected = FeedDate.parse(Self.iso(year, 1, 1))!.secondsSince1970
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            for month in 1...12 {
                let length = monthLengths[month - 1] + (month == 2 && leap ? 1 : 0)
                for day in 1...length {
                    XCTAssertEqual(FeedDate.parse(Self.iso(year, month, day))?.secondsSince1970, expected,
                                   Self.iso(year, month, day))
                    expected += 86_400
                }
                XCTAssertNil(FeedDate.parse(Self.iso(year, month, length + 1)), Self.iso(year, month, length + 1))
            }
        }
    }

    func testRFC822AndISOFormsOfTheSameMomentAgree() {
        let moments = ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                       "1994-11-06T08:49:37Z", "1994-11-06T09:49:37+01:00", "19941106T034937-0500",
                       "Sun, 6 Nov 1994 00:49:37 PST"]
        for text in moments {
            // calendar.timegm((1994, 11, 6, 8, 49, 37))
            XCTAssertEqual(FeedDate.parse(text)?.secondsSince1970, 784_111_777, text)
        }
    }

    private static func iso(_ y: Int, _ m: Int, _ d: Int) -> String {
        func pad(_ v: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(v).count)) + String(v) }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// (text, seconds since 1970), the seconds computed with Python's `calendar.timegm` (minus the zone's offset),
    /// independently of the parser.
    static let valid: [(String, Int64)] = [
        ("Tue, 14 Apr 2020 09:30:00 GMT", 1586856600),
        ("Tue, 14 Apr 2020 09:30:00 +0200", 1586849400),
        ("Tue, 14 Apr 2020 09:30:00 -05:00", 1586874600),
        ("Tue, 14 Apr 2020 09:30:00 UT", 1586856600),
        ("Tue, 14 Apr 2020 09:30:00 UTC", 1586856600),
        ("Tue, 14 Apr 2020 09:30:00 Z", 1586856600),
        ("Tue, 14 Apr 2020 09:30:00 EST", 1586874600),
        ("Tue, 14 Apr 2020 09:30:00 EDT", 1586871000),
        ("Tue, 14 Apr 2020 09:30:00 CST", 1586878200),
        ("Tue, 14 Apr 2020 09:30:00 CDT", 1586874600),
        ("Tue, 14 Apr 2020 09:30:00 MST", 1586881800),
        ("Tue, 14 Apr 2020 09:30:00 MDT", 1586878200),
        ("Tue, 14 Apr 2020 09:30:00 PST", 1586885400),
        ("Tue, 14 Apr 2020 09:30:00 PDT", 1586881800),
        ("Tue, 14 Apr 2020 09:30:00 pdt", 1586881800),
        ("Tue, 14 Apr 2020 09:30:00 A", 1586860200),
        ("Tue, 14 Apr 2020 09:30:00 M", 1586899800),
        ("Tue, 14 Apr 2020 09:30:00 N", 1586853000),
        ("Tue, 14 Apr 2020 09:30:00 Y", 1586813400),
        ("Tue, 14 Apr 2020 09:30:00 K", 1586892600),
        ("Tue, 14 Apr 2020 09:30:00 XYZT", 1586856600),
        ("Tue, 14 Apr 2020 09:30:00", 1586856600),
        ("Tue, 14 Apr 2020 09:30:00 GMT+2", 1586849400),
        ("Tue, 14 Apr 2020 09:30:00 UTC-05:30", 1586876400),
        ("Tue, 14 Apr 2020 09:30:00 +05", 1586838600),
        ("Tue, 14 Apr 2020 09:30:00 -0800 (PST)", 1586885400),
        ("14 Apr 2020 09:30:00 GMT", 1586856600),
        ("TUE, 14 APR 2020 09:30:00 GMT", 1586856600),
        ("tuesday, 14 april 2020 09:30:00 gmt", 1586856600),
        ("Mon, 14 Apr 2020 09:30:00 GMT", 1586856600),
        ("Tue 14 Apr 2020 09:30:00 GMT", 1586856600),
        ("Tue,14 Apr 2020 09:30:00 GMT", 1586856600),
        ("Thu, 14 September 2017 09:30:00 GMT", 1505381400),
        ("Thu, 14 Sept 2017 09:30:00 GMT", 1505381400),
        ("Wed, 1 Apr 2020 09:30:00 GMT", 1585733400),
        ("Wed, 1 Apr 2020 9:30:00 GMT", 1585733400),
        ("Tue, 14 Apr 20 09:30:00 GMT", 1586856600),
        ("Tue, 14 Apr 49 09:30:00 GMT", 2502005400),
        ("Thu, 14 Apr 50 09:30:00 GMT", -622218600),
        ("Wed, 14 Apr 99 09:30:00 GMT", 924082200),
        ("Tue, 14 Apr 120 09:30:00 GMT", 1586856600),
        ("Tue, 14 Apr 2020 09:30 GMT", 1586856600),
        ("Tue, 14 Apr 2020", 1586822400),
        ("  Tue,   14  Apr\t2020   09:30:00   GMT  ", 1586856600),
        ("Tue, 14 Apr 2020 09:30:00 GMT and then some junk", 1586856600),
        ("Tue, 14-Apr-2020 09:30:00 GMT", 1586856600),
        ("Tue, 14 Apr 2020 09:30:00.123 GMT", 1586856600),
        ("Tue, 14 Apr 2020 9:30 PM EST", 1586917800),
        ("Tue, 14 Apr 2020 12:05 am GMT", 1586822700),
        ("Tue, 14 Apr 2020 12:05 pm GMT", 1586865900),
        ("Sat, 29 Feb 2020 23:59:59 GMT", 1583020799),
        ("Tue, 29 Feb 2000 00:00:00 GMT", 951782400),
        ("Fri, 31 Dec 1999 23:59:60 GMT", 946684800),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
        ("Wed, 31 Dec 1969 23:59:59 GMT", -1),
        ("Mon, 1 Jan 0001 00:00:00 GMT", -62135596800),
        ("Fri, 31 Dec 9999 23:59:59 GMT", 253402300799),
        ("Tue, 14 Apr 2020 09:30:00 BST", 1586853000),
        ("Tue, 14 Apr 2020 09:30:00 CEST", 1586849400),
        ("Tue, 14 Apr 2020 09:30:00 JST", 1586824200),
        ("Tue Apr 14 09:30:00 2020", 1586856600),
        ("Tue Apr  4 09:30:00 2020", 1585992600),
        ("Tue Apr 14 09:30:00 UTC 2020", 1586856600),
        ("Tue Apr 14 09:30:00 EDT 2020", 1586871000),
        ("April 14, 2020", 1586822400),
        ("April 14, 2020 09:30 PM", 1586899800),
        ("Apr 14 2020 09:30:00 +0100", 1586853000),
        ("2020-04-14T09:30:00Z", 1586856600),
        ("2020-04-14T09:30:00.123456Z", 1586856600),
        ("2020-04-14T09:30:00,5Z", 1586856600),
        ("2020-04-14T09:30:00+05:30", 1586836800),
        ("2020-04-14T09:30:00+0530", 1586836800),
        ("2020-04-14T09:30:00+05", 1586838600),
        ("2020-04-14T09:30:00-08:00", 1586885400),
        ("2020-04-14T09:30:00.5-08:00", 1586885400),
        ("2020-04-14t09:30:00z", 1586856600),
        ("2020-04-14 09:30:00Z", 1586856600),
        ("2020-04-14 09:30:00", 1586856600),
        ("2020-04-14T09:30:00", 1586856600),
        ("2020-04-14T09:30Z", 1586856600),
        ("2020-04-14T09:30+01:00", 1586853000),
        ("2020-04-14T24:00:00Z", 1586908800),
        ("2020-04-14", 1586822400),
        ("2020-04", 1585699200),
        ("2020", 1577836800),
        ("20200414T093000Z", 1586856600),
        ("20200414T0930+0200", 1586849400),
        ("20200414", 1586822400),
        ("2020-105", 1586822400),
        ("2020-105T09:30:00Z", 1586856600),
        ("2020105", 1586822400),
        ("2020-366", 1609372800),
        ("2020-W16-2", 1586822400),
        ("2020-W16", 1586736000),
        ("2020W162", 1586822400),
        ("2009-W01-1", 1230508800),
        ("2009-W53-7", 1262476800),
        ("2020-W53-1", 1609113600),
        ("2020-4-5", 1586044800),
        ("2020/04/14 09:30:00", 1586856600),
        ("2004-07-08 23:56:58.0", 1089331018),
        ("Fri, 2006/09/15 08:19:53 EDT", 1158322793),
        ("  2020-04-14T09:30:00Z  ", 1586856600),
        ("1600-02-29T00:00:00Z", -11670998400),
        ("0001-01-01T00:00:00Z", -62135596800),
        ("9999-12-31T23:59:59Z", 253402300799),
        ("1969-07-20T20:17:40Z", -14182940),
        ("2004년 05월 28일  01:31:15", 1085675475),
        ("2004-05-25 오후 11:23:17", 1085494997),
        ("2004-05-25 오전 11:23:17", 1085451797),
        ("2004年05月28日 01:31:15", 1085707875),
        ("2004年5月28日", 1085702400),
        ("Κυρ, 11 Ιούλ 2004 12:00:00 EST", 1089565200),
        ("2004-július-13T9:15-05:00", 1089728100),
        ("1 Μαρ 2004", 1078099200),
    ]

    static let invalid: [String] = [
        "Κυρ, 11 Foo 2004 12:00:00 EST",
        "2004-juli-13",
        "Ωωω, 11 Ιούλ 2004",
        "",
        "   ",
        "not a date",
        "2020-13-01",
        "2020-02-30",
        "2019-02-29",
        "1900-02-29T00:00:00Z",
        "Tue, 30 Feb 2020 09:30:00 GMT",
        "Tue, 14 Foo 2020 09:30:00 GMT",
        "2020-04-14T25:00:00Z",
        "2020-04-14T09:60:00Z",
        "2020-04-14T24:30:00Z",
        "0000-01-01",
        "2020-00-10",
        "2020-04-00",
        "2020-367",
        "2019-366",
        "2020-W54-1",
        "2021-W53-1",
        "2020-W16-8",
        "Tue, 14 Apr 2020 09:30:00 +9900",
        "99999-01-01",
        "2020 Apr 14",
        "Tue, Apr",
        "14 Apr",
        "Apr 14",
        "12:30:00",
        "Tue, 14 Apr 1 09:30:00 GMT",
        "Tue, 14 Apr 12345 09:30:00 GMT",
        "2020-04-14T09:3Z",
        "Caturday, 14 Apr 2020",
    ]
}
