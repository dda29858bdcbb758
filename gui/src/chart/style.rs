//! The chart's colours and line widths, after NOAA's declination charts:
//! east red, west blue, the agonic line green.

use egui::Color32;

/// Off the map (beyond Mercator's 85°, around Equal Earth's outline).
pub const PAPER: Color32 = Color32::from_rgb(236, 232, 222);
pub const OCEAN: Color32 = Color32::from_rgb(214, 230, 242);
pub const LAND: Color32 = Color32::from_rgb(238, 235, 214);
pub const COAST: Color32 = Color32::from_rgb(120, 115, 95);
pub const GRATICULE: Color32 = Color32::from_rgb(170, 190, 208);
pub const LABEL_TEXT: Color32 = Color32::from_rgb(60, 60, 60);
/// East declination red, west blue, the agonic line green, as NOAA draws them.
pub const EAST: Color32 = Color32::from_rgb(200, 30, 30);
pub const WEST: Color32 = Color32::from_rgb(30, 60, 200);
pub const AGONIC: Color32 = Color32::from_rgb(0, 140, 40);
pub const OVERLAY_LINE: Color32 = Color32::from_rgb(150, 90, 20);
pub const ISOPORIC: Color32 = Color32::from_rgb(120, 40, 150);
pub const MARKER: Color32 = Color32::from_rgb(20, 20, 20);
pub const DIP_POLE: Color32 = Color32::from_rgb(190, 0, 120);
pub const GEOMAGNETIC_POLE: Color32 = Color32::from_rgb(90, 40, 170);
pub const VESSEL: Color32 = Color32::from_rgb(0, 110, 90);
pub const STALE: Color32 = Color32::from_rgb(150, 150, 150);

/// The WMM's caution zone (H < 6000 nT), translucent amber.
pub fn caution_fill() -> Color32 {
    Color32::from_rgba_unmultiplied(255, 160, 0, 70)
}

/// The WMM's blackout zone (H < 2000 nT), translucent red over the caution amber.
pub fn blackout_fill() -> Color32 {
    Color32::from_rgba_unmultiplied(190, 0, 0, 90)
}

/// Red east of zero, blue west, green on the agonic line.
pub fn declination_color(value_deg: f64) -> Color32 {
    if value_deg > 0.0 {
        EAST
    } else if value_deg < 0.0 {
        WEST
    } else {
        AGONIC
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declination_colours() {
        assert_eq!(declination_color(10.0), EAST);
        assert_eq!(declination_color(-10.0), WEST);
        assert_eq!(declination_color(0.0), AGONIC);
    }
}
