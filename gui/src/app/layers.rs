//! The chart's layers: asking the worker for them when the view, date,
//! model or choices change, taking its answers, and keeping them projected
//! into the plane of the projection in use.

use super::MagvarApp;
use crate::plane::{PlaneLayers, PlaneTrack, plane_tracks};
use crate::view::GeoBounds;
use crate::worker::{
    ChartLayers, Finished, LayerRequest, PoleTracks, declination_step_for_span, grid_step_for_span,
    model_key, region_for,
};
use std::time::{Duration, Instant};

impl MagvarApp {
    pub fn layers(&self) -> Option<&ChartLayers> {
        self.layers.as_ref()
    }

    /// The layers in the plane of the projection in use.
    pub fn plane(&self) -> Option<&PlaneLayers> {
        self.plane.as_ref()
    }

    /// The poles' tracks in the plane, when they are shown and have arrived.
    pub fn plane_tracks(&self) -> &[PlaneTrack] {
        if self.layer_choices.pole_tracks {
            &self.plane_tracks
        } else {
            &[]
        }
    }

    /// Whether layers newer than the drawn ones are being computed.
    pub fn layers_pending(&self) -> bool {
        self.pending.is_some() || self.tracks_pending
    }

    /// Asks for new layers when what is drawn no longer fits the visible
    /// area, the zoom, the date, the altitude, the model or the choices;
    /// picks up what the worker has finished.
    pub fn update_layers(&mut self, visible: GeoBounds, span_lon_deg: f64) {
        self.poll_layers();
        let wanted = self.layer_request_for(visible, span_lon_deg);
        let covered = |request: &LayerRequest| {
            let mut fitted = wanted.clone();
            fitted.region = request.region;
            request.same_as(&fitted) && covers(request.region, visible)
        };
        let already = match (&self.pending, &self.layers) {
            (Some(pending), _) => covered(pending),
            (None, Some(shown)) => covered(&shown.request),
            (None, None) => false,
        };
        if !already && let Some(worker) = &self.worker {
            worker.send(wanted.clone());
            self.pending = Some(wanted);
        }
        let tracks_current = self.tracks.as_ref().is_some_and(|tracks| {
            tracks.model_key == model_key(&self.model) && tracks.altitude_km == self.altitude_km
        });
        if self.layer_choices.pole_tracks
            && !tracks_current
            && !self.tracks_pending
            && let Some(worker) = &self.worker
        {
            worker.send_tracks(self.model.clone(), self.altitude_km);
            self.tracks_pending = true;
        }
    }

    fn layer_request_for(&self, visible: GeoBounds, span_lon_deg: f64) -> LayerRequest {
        let region_span = (visible.width_deg() * 2.0).min(360.0);
        let grid_step_deg = grid_step_for_span(region_span);
        LayerRequest {
            model: self.model.clone(),
            year: self.year,
            altitude_km: self.altitude_km,
            region: region_for(visible, grid_step_deg),
            grid_step_deg,
            declination_step_deg: declination_step_for_span(span_lon_deg),
            overlay: self.overlay,
            isoporic: self.layer_choices.isoporic,
        }
    }

    /// Takes what the worker has finished, if anything.
    pub fn poll_layers(&mut self) {
        let finished = self
            .worker
            .as_ref()
            .map(|worker| worker.try_finished())
            .unwrap_or_default();
        for result in finished {
            self.accept(result);
        }
    }

    fn accept(&mut self, finished: Finished) {
        match finished {
            Finished::Layers(set) => {
                if self
                    .pending
                    .as_ref()
                    .is_some_and(|pending| pending.same_as(&set.request))
                {
                    self.pending = None;
                }
                self.plane = Some(PlaneLayers::new(&set, self.view.projection));
                self.layers = Some(*set);
            }
            Finished::Tracks(tracks) => {
                self.tracks_pending = false;
                self.accept_tracks(tracks);
            }
        }
    }

    fn accept_tracks(&mut self, tracks: PoleTracks) {
        self.plane_tracks = plane_tracks(&tracks, self.view.projection);
        self.tracks = Some(tracks);
    }

    /// Projects the layers and tracks again (the projection changed).
    pub(super) fn reproject(&mut self) {
        let projection = self.view.projection;
        self.plane = self
            .layers
            .as_ref()
            .map(|set| PlaneLayers::new(set, projection));
        self.plane_tracks = self
            .tracks
            .as_ref()
            .map(|tracks| plane_tracks(tracks, projection))
            .unwrap_or_default();
    }

    /// Blocks until the layers (and tracks) asked for last have arrived
    /// (for tests and screenshots); false if they did not come within
    /// `timeout`.
    pub fn wait_for_layers(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.layers_pending() {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(finished) = self.worker.as_ref().and_then(|w| w.wait(left)) else {
                return false;
            };
            self.accept(finished);
        }
        true
    }
}

/// Whether lines computed for `region` cover what is `visible`: directly,
/// or a whole turn of longitude away (the chart draws every copy of the
/// world from the same lines).
pub fn covers(region: GeoBounds, visible: GeoBounds) -> bool {
    if region.west_deg <= -180.0 && region.east_deg >= 180.0 {
        return region.south_deg <= visible.south_deg && region.north_deg >= visible.north_deg;
    }
    [-360.0, 0.0, 360.0].into_iter().any(|turn| {
        region.contains(&GeoBounds {
            west_deg: visible.west_deg + turn,
            east_deg: visible.east_deg + turn,
            ..visible
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_width_region_covers_every_copy() {
        let world = GeoBounds::WORLD;
        let east = GeoBounds {
            west_deg: 170.0,
            east_deg: 200.0,
            south_deg: 0.0,
            north_deg: 10.0,
        };
        assert!(covers(world, east));
        let part = GeoBounds {
            west_deg: 0.0,
            east_deg: 40.0,
            south_deg: -10.0,
            north_deg: 30.0,
        };
        let shifted = GeoBounds {
            west_deg: 370.0,
            east_deg: 380.0,
            south_deg: 0.0,
            north_deg: 10.0,
        };
        assert!(covers(part, shifted));
        assert!(!covers(part, east));
    }
}
