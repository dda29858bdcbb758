//! Gauss coefficients g(n, m), h(n, m) of one spherical-harmonic expansion,
//! addressed by degree n and order m — never by a flat index.

/// Schmidt semi-normalised Gauss coefficients of degree 1..=`degree`
/// (nanotesla, or nanotesla per year for a secular-variation set).
///
/// Storage is triangular; the index arithmetic lives in one private
/// function so that every caller speaks in (n, m).
#[derive(Debug, Clone, PartialEq)]
pub struct GaussCoefficients {
    degree: usize,
    g: Vec<f64>,
    h: Vec<f64>,
}

/// Position of (n, m) in a triangular table that starts at (0, 0).
#[inline(always)]
pub(crate) const fn triangular_index(n: usize, m: usize) -> usize {
    n * (n + 1) / 2 + m
}

/// Number of (n, m) pairs with 0 <= m <= n <= degree.
pub(crate) const fn triangular_len(degree: usize) -> usize {
    (degree + 1) * (degree + 2) / 2
}

impl GaussCoefficients {
    /// All coefficients zero, degree `degree`.
    pub fn zeros(degree: usize) -> Self {
        let len = triangular_len(degree);
        GaussCoefficients {
            degree,
            g: vec![0.0; len],
            h: vec![0.0; len],
        }
    }

    /// Maximum degree N of the expansion.
    pub fn degree(&self) -> usize {
        self.degree
    }

    /// g(n, m) in nT (or nT/yr). Zero beyond the degree.
    #[inline]
    pub fn g(&self, n: usize, m: usize) -> f64 {
        debug_assert!(m <= n);
        if n > self.degree {
            0.0
        } else {
            self.g[triangular_index(n, m)]
        }
    }

    /// h(n, m) in nT (or nT/yr). Zero for m = 0 and beyond the degree.
    #[inline]
    pub fn h(&self, n: usize, m: usize) -> f64 {
        debug_assert!(m <= n);
        if n > self.degree {
            0.0
        } else {
            self.h[triangular_index(n, m)]
        }
    }

    /// Sets g(n, m). Panics if (n, m) is outside the table: a programming
    /// error, since parsers check degrees before storing.
    pub fn set_g(&mut self, n: usize, m: usize, value: f64) {
        assert!(
            m <= n && n <= self.degree,
            "g({n},{m}) outside degree {}",
            self.degree
        );
        self.g[triangular_index(n, m)] = value;
    }

    /// Sets h(n, m); see [`set_g`](Self::set_g).
    pub fn set_h(&mut self, n: usize, m: usize, value: f64) {
        assert!(
            m <= n && n <= self.degree,
            "h({n},{m}) outside degree {}",
            self.degree
        );
        self.h[triangular_index(n, m)] = value;
    }

    /// The same expansion at a larger degree, new terms zero.
    pub fn extended_to(self, degree: usize) -> Self {
        if degree <= self.degree {
            return self;
        }
        let mut out = Self::zeros(degree);
        let len = triangular_len(self.degree);
        out.g[..len].copy_from_slice(&self.g);
        out.h[..len].copy_from_slice(&self.h);
        out
    }

    /// `self + factor * other`, term by term (degrees may differ).
    pub fn add_scaled(&self, other: &Self, factor: f64) -> Self {
        let degree = self.degree.max(other.degree);
        let mut out = self.clone().extended_to(degree);
        for (i, (g, h)) in other.g.iter().zip(&other.h).enumerate() {
            out.g[i] += factor * g;
            out.h[i] += factor * h;
        }
        out
    }

    /// `(later - self) / years`: the secular variation that carries this
    /// set linearly into `later`.
    pub fn rate_to(&self, later: &Self, years: f64) -> Self {
        later.add_scaled(self, -1.0).scaled(1.0 / years)
    }

    fn scaled(mut self, factor: f64) -> Self {
        self.g.iter_mut().for_each(|v| *v *= factor);
        self.h.iter_mut().for_each(|v| *v *= factor);
        self
    }

    /// The raw triangular tables (g, h), index (n, m) at n(n+1)/2 + m.
    /// For the synthesis kernels, which walk them in order.
    pub(crate) fn tables(&self) -> (&[f64], &[f64]) {
        (&self.g, &self.h)
    }
}
