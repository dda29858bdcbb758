//! What changes without a click: the field under the pointer, the bearing
//! converter at the marker, and the marker following a live NMEA position.

use super::MagvarApp;
use crate::nmea::{FeedAddress, Fix, NmeaFeed, parse_feed_address};
use magvar_core::bearing::{BearingConversion, parse_bearing};
use magvar_core::grid_north::{GridChoice, GridNorth, grid_north};
use magvar_core::{DatePolicy, FieldReport, Position};
use std::time::Instant;

/// The field where the pointer is.
#[derive(Debug, Clone)]
pub struct Hover {
    pub latitude_deg: f64,
    pub longitude_deg: f64,
    pub report: Result<FieldReport, String>,
}

/// What the live position feed shows.
#[derive(Debug, Clone)]
pub struct VesselState {
    pub address: FeedAddress,
    pub fix: Option<Fix>,
    /// No fix for five seconds.
    pub stale: bool,
    pub sentences: u64,
    pub bad: u64,
    pub ignored: u64,
    pub last_bad: Option<String>,
    pub error: Option<String>,
}

impl MagvarApp {
    /// Computes the field under the pointer, at the app's date, altitude
    /// and model.
    pub fn hover_at(&mut self, latitude_deg: f64, longitude_deg: f64) {
        let same_place = self
            .hover
            .as_ref()
            .is_some_and(|h| h.latitude_deg == latitude_deg && h.longitude_deg == longitude_deg);
        if same_place {
            return;
        }
        let report = Position::geodetic(latitude_deg, longitude_deg, self.altitude_km)
            .map_err(|e| e.to_string())
            .and_then(|position| {
                self.model
                    .model_for(self.year)
                    .field(&position, self.year, DatePolicy::Extrapolate)
                    .map_err(|e| e.to_string())
            });
        self.hover = Some(Hover {
            latitude_deg,
            longitude_deg,
            report,
        });
    }

    /// The pointer left the chart.
    pub fn clear_hover(&mut self) {
        self.hover = None;
    }

    pub fn hover(&self) -> Option<&Hover> {
        self.hover.as_ref()
    }

    /// The bearing in the converter's field in all three references at
    /// the marker (grid: UTM, or UPS near the poles); `None` without a
    /// marker, or a message saying what is wrong with the field.
    pub fn bearing_conversion(
        &self,
    ) -> Option<Result<(BearingConversion, Option<GridNorth>), String>> {
        let selection = self.selection.as_ref()?;
        let report = selection.report.as_ref().ok()?;
        Some((|| {
            let bearing = parse_bearing(&self.bearing_input).map_err(|e| e.to_string())?;
            let grid = grid_north(
                selection.latitude_deg,
                selection.longitude_deg,
                GridChoice::Auto,
            )
            .ok();
            let conversion = BearingConversion::new(bearing, report.elements.declination_deg, grid)
                .map_err(|e| e.to_string())?;
            Ok((conversion, grid))
        })())
    }

    /// Starts following the NMEA source `text` (`udp://0.0.0.0:10110`,
    /// `tcp://HOST:PORT`), replacing any other; a bad address or a port in
    /// use sets `nmea_error`.
    pub fn connect_nmea(&mut self, text: &str) {
        self.nmea_input = text.to_string();
        let started = parse_feed_address(text)
            .and_then(|address| NmeaFeed::start(address, self.repaint.clone()));
        match started {
            Ok(feed) => {
                self.nmea = Some(feed);
                self.nmea_error = None;
                self.last_fix = 0;
            }
            Err(message) => self.nmea_error = Some(message),
        }
    }

    pub fn disconnect_nmea(&mut self) {
        self.nmea = None;
    }

    /// The feed's local address (a UDP port chosen by the system).
    pub fn nmea_local_address(&self) -> Option<std::net::SocketAddr> {
        self.nmea.as_ref().and_then(NmeaFeed::local_address)
    }

    /// Moves the marker to the feed's newest fix, if a new one came.
    pub fn poll_nmea(&mut self) {
        let Some(fix) = self.nmea.as_ref().and_then(|feed| feed.state().fix) else {
            return;
        };
        if fix.number != self.last_fix {
            self.last_fix = fix.number;
            // The series through the years barely moves with a vessel's
            // progress; recompute it only when the marker moves far.
            let far = self.marker().is_none_or(|(lat, lon)| {
                (lat - fix.latitude_deg).abs() > 0.5 || (lon - fix.longitude_deg).abs() > 0.5
            });
            match self.selection.as_mut() {
                Some(selection) if !far => {
                    selection.latitude_deg = fix.latitude_deg;
                    selection.longitude_deg = fix.longitude_deg;
                    self.refresh_selection(false);
                }
                _ => self.click_at(fix.latitude_deg, fix.longitude_deg),
            }
        }
    }

    /// Whether a live feed is connected (without copying its state, as
    /// [`Self::vessel`] does under the feed's lock).
    pub fn has_live_feed(&self) -> bool {
        self.nmea.is_some()
    }

    /// The live feed's state, if one is connected.
    pub fn vessel(&self) -> Option<VesselState> {
        let feed = self.nmea.as_ref()?;
        let state = feed.state();
        Some(VesselState {
            address: feed.address().clone(),
            stale: state.is_stale(Instant::now()),
            fix: state.fix,
            sentences: state.sentences,
            bad: state.bad,
            ignored: state.ignored,
            last_bad: state.last_bad,
            error: state.error,
        })
    }
}
